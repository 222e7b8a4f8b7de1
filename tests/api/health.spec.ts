import { expect, test } from "@playwright/test";

test("GET /api/health – 200 with db and redis ok when both answer", async ({ request }) => {
  const response = await request.get("/api/health");

  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ db: "ok", redis: "ok" });
  expect(response.headers()["cache-control"]).toContain("no-store");
});
