import { expect, test } from "@playwright/test";

async function finishedStream(
  request: import("@playwright/test").APIRequestContext,
  headers: Record<string, string> = {},
) {
  const response = await request.get("/api/user/LightLeo/2018/events", { headers, timeout: 30_000 });
  expect(response.status()).toBe(200);
  return response.text();
}

test("GET …/events – Last-Event-ID at the current id resumes without a second snapshot", async ({ request }) => {
  const first = await finishedStream(request);
  // The first stream may have started the import: the id that counts is its final event's.
  const id = /id: (\d+)\nevent: complete/.exec(first)?.[1];
  expect(id).toBeDefined();

  const resumed = await finishedStream(request, { "Last-Event-ID": String(id) });

  expect(resumed).not.toContain("event: snapshot");
  expect(resumed).toContain(`id: ${id}\nevent: complete\ndata: {"username":"LightLeo","year":2018`);
});

test("GET …/events – a Last-Event-ID behind the current one gets the snapshot again", async ({ request }) => {
  await finishedStream(request);
  const resumed = await finishedStream(request, { "Last-Event-ID": "0" });

  expect(resumed).toContain("event: snapshot");
});

test("GET …/events – a broken Last-Event-ID is ignored, not an error", async ({ request }) => {
  for (const broken of ["abc", "-1", "1.5", "9".repeat(40), "%00"]) {
    const text = await finishedStream(request, { "Last-Event-ID": broken });
    expect(text, broken).toContain("event: snapshot");
  }
});

test("POST …/retry – a complete year has nothing to retry: 409 conflict", async ({ request }) => {
  await finishedStream(request);
  const response = await request.post("/api/user/LightLeo/2018/retry");

  expect(response.status()).toBe(409);
  expect(await response.json()).toEqual({ error: { code: "conflict", message: expect.stringContaining("complete") } });
});

test("POST …/reimport – an unknown user is 404 and a bad year 400, before anything is deleted", async ({ request }) => {
  const unknown = await request.post("/api/user/NobodyHere/2020/reimport");
  expect(unknown.status()).toBe(404);
  expect((await unknown.json()).error.code).toBe("user_not_found");

  const badYear = await request.post("/api/user/LightLeo/1999/reimport");
  expect(badYear.status()).toBe(400);
  expect((await badYear.json()).error.code).toBe("invalid_input");
});

test("GET …/reimport – only POST starts a re-import (405)", async ({ request }) => {
  const response = await request.get("/api/user/LightLeo/2018/reimport");

  expect(response.status()).toBe(405);
});
