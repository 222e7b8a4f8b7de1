import { expect, test } from "@playwright/test";
import { TEST_ADMIN } from "@/tests/support/limits";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

test("GET /admin/queues – 401 with a Basic challenge without credentials, and with wrong ones", async ({ request }) => {
  const attempts: Record<string, string>[] = [
    {},
    { Authorization: basic(TEST_ADMIN.username, "wrong") },
    { Authorization: "Bearer x" },
  ];
  for (const headers of attempts) {
    const response = await request.get("/admin/queues", { headers });
    expect(response.status()).toBe(401);
    expect(response.headers()["www-authenticate"]).toContain("Basic");
    expect(await response.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
  }
});

test("GET /admin/queues – 200 with the admin credentials; its assets and API are behind the same auth", async ({
  request,
}) => {
  const headers = { Authorization: basic(TEST_ADMIN.username, TEST_ADMIN.password) };
  const page = await request.get("/admin/queues", { headers });
  expect(page.status()).toBe(200);
  const html = await page.text();
  expect(html).toContain('<base href="/admin/queues/"');

  const api = await request.get(
    "/admin/queues/api/queues?activeQueue=fetch-scrobbles&status=latest&page=1&jobsPerPage=10",
    { headers },
  );
  expect(api.status()).toBe(200);
  const names = (await api.json()).queues.map((q: { name: string }) => q.name).sort();
  expect(names).toEqual(["enrich-albums", "fetch-scrobbles", "match-names", "preview-year"]);

  const script = /src="([^"]*static\/js\/main[^"]*\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  expect((await request.get(`/admin/queues/${script?.replace(/^\.?\/?(admin\/queues\/)?/, "")}`)).status()).toBe(401);
  expect(
    (await request.get(`/admin/queues/${script?.replace(/^\.?\/?(admin\/queues\/)?/, "")}`, { headers })).status(),
  ).toBe(200);
});
