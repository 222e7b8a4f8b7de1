import { type APIRequestContext, expect, test } from "@playwright/test";

const uniqueIp = () => `198.18.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

async function waitForStatus(request: APIRequestContext, path: string, headers: Record<string, string>) {
  for (let i = 0; i < 150; i++) {
    const { status } = await (await request.get(path, { headers })).json();
    if (status === "complete") return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${path} did not complete`);
}

function nonces(html: string): string[] {
  return [...new Set([...html.matchAll(/nonce="([^"]+)"/g)].map((match) => match[1]))];
}

test("GET /user/[username]/[year] – a finished year is cached with a fresh nonce per view, changes at once on re-import, and a second re-import waits for the cooldown", async ({
  request,
}) => {
  const headers = { "x-forwarded-for": uniqueIp() };
  await waitForStatus(request, "/api/user/LightLeo/2024", headers);

  const views = [];
  for (let i = 0; i < 3; i++) {
    const response = await request.get("/user/LightLeo/2024");
    expect(response.status()).toBe(200);
    const html = await response.text();
    const csp = response.headers()["content-security-policy"];
    expect(nonces(html)).toHaveLength(1);
    expect(csp).toContain(`'nonce-${nonces(html)[0]}'`);
    expect(csp).toContain("'strict-dynamic'");
    expect(html).toContain("median age of what you played");
    views.push(html);
  }
  expect(new Set(views.map((html) => nonces(html)[0])).size).toBe(3);
  const [first, second] = views.map((html) => html.replaceAll(nonces(html)[0], "N"));
  expect(second).toBe(first);

  const reimport = await request.post("/api/user/LightLeo/2024/reimport", { headers });
  expect(reimport.status()).toBe(202);
  const during = await (await request.get("/user/LightLeo/2024")).text();
  expect(during).not.toContain("median age of what you played");

  await waitForStatus(request, "/api/user/LightLeo/2024", headers);
  const after = await (await request.get("/user/LightLeo/2024")).text();
  expect(after).toContain("median age of what you played");
  expect(after).toMatch(/Re-imported recently: possible again at (<!-- -->)?\d\d:\d\d(<!-- -->)? UTC/);

  const again = await request.post("/api/user/LightLeo/2024/reimport", { headers: { "x-forwarded-for": uniqueIp() } });
  expect(again.status()).toBe(429);
  expect(await again.json()).toEqual({
    error: { code: "rate_limited", message: expect.stringMatching(/re-imported again at \d\d:\d\d UTC/) },
  });
  expect(Number(again.headers()["retry-after"])).toBeGreaterThan(3_000);
});

test("GET /user/[username]/[year]/opengraph-image – a finished year's card is cached for a day with an ETag; a year not finished is not", async ({
  request,
}) => {
  await waitForStatus(request, "/api/user/LightLeo/2024", { "x-forwarded-for": uniqueIp() });
  const card = await request.get("/user/LightLeo/2024/opengraph-image");
  expect(card.status()).toBe(200);
  expect(card.headers()["cache-control"]).toBe("public, max-age=86400, stale-while-revalidate=604800");
  const etag = card.headers().etag;
  expect(etag).toMatch(/^"[\w-]+"$/);
  const revalidated = await request.get("/user/LightLeo/2024/opengraph-image", { headers: { "if-none-match": etag } });
  expect(revalidated.status()).toBe(304);

  const generic = await request.get("/user/LightLeo/2023/opengraph-image");
  expect(generic.status()).toBe(200);
  expect(generic.headers()["cache-control"]).not.toContain("max-age=86400");
  expect(generic.headers().etag).toBeUndefined();
});
