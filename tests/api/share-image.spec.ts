import { type APIResponse, expect, test } from "@playwright/test";

const PNG_SIGNATURE = "89504e470d0a1a0a";

/** Width and height from the PNG's IHDR chunk. */
async function pngSize(response: APIResponse): Promise<{ signature: string; width: number; height: number }> {
  const body = await response.body();
  return {
    signature: body.subarray(0, 8).toString("hex"),
    width: body.readUInt32BE(16),
    height: body.readUInt32BE(20),
  };
}

test("GET /user/[username]/[year]/opengraph-image – a finished year's card is a 1200×630 PNG", async ({ request }) => {
  const headers = { "x-forwarded-for": `198.51.100.${1 + Math.floor(Math.random() * 254)}` };
  let status = "";
  for (let i = 0; i < 150 && status !== "complete"; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    status = (await (await request.get("/api/user/LightLeo/2022", { headers })).json()).status;
  }
  expect(status).toBe("complete");

  for (const path of ["/user/LightLeo/2022/opengraph-image", "/user/lightleo/2022/twitter-image"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()["content-type"], path).toBe("image/png");
    expect(await pngSize(response), path).toEqual({ signature: PNG_SIGNATURE, width: 1200, height: 630 });
  }
});

test("GET /user/[username]/[year]/opengraph-image – an unknown user, a bad year or a year never imported gets the generic card", async ({
  request,
}) => {
  expect((await request.get("/api/user/LightLeo")).status()).toBe(200);

  for (const path of [
    "/user/NobodyHere/2020/opengraph-image",
    "/user/LightLeo/20x4/opengraph-image",
    "/user/LightLeo/2023/opengraph-image",
  ]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()["content-type"], path).toBe("image/png");
    expect(await pngSize(response), path).toEqual({ signature: PNG_SIGNATURE, width: 1200, height: 630 });
  }

  // The card is read-only: asking for it never starts the year's import.
  const { years } = await (await request.get("/api/user/LightLeo")).json();
  expect(years).toContainEqual({ year: 2023, status: "not_started" });
});

test("GET /user/[username]/[year]/opengraph-image?tz= – the card follows the zone of the shared link", async ({
  request,
}) => {
  let status = "";
  for (let i = 0; i < 150 && status !== "complete"; i++) {
    if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
    status = (await (await request.get("/api/user/NewYearNoor/2024")).json()).status;
  }
  expect(status).toBe("complete");

  const page = await (await request.get("/user/NewYearNoor/2024?tz=America/Los_Angeles")).text();
  expect(page).toMatch(
    /<meta property="og:image" content="[^"]*\/user\/NewYearNoor\/2024\/opengraph-image\?tz=America%2FLos_Angeles"/,
  );
  const utc = await request.get("/user/NewYearNoor/2024/opengraph-image");
  const la = await request.get("/user/NewYearNoor/2024/opengraph-image?tz=America%2FLos_Angeles");
  const bad = await request.get("/user/NewYearNoor/2024/opengraph-image?tz=Nowhere");
  for (const response of [utc, la, bad]) {
    expect(response.status()).toBe(200);
    expect(await pngSize(response)).toEqual({ signature: PNG_SIGNATURE, width: 1200, height: 630 });
  }
  expect(Buffer.compare(await utc.body(), await la.body())).not.toBe(0);
});
