import { type APIRequestContext, expect, test } from "@playwright/test";
import { TEST_ADMIN } from "@/tests/support/limits";

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const admin = { Authorization: basic(TEST_ADMIN.username, TEST_ADMIN.password) };
// Its own client IP, so this spec never uses the shared allowance of new imports per IP.
const client = { "x-forwarded-for": "10.77.0.1" };

/** The value of one series (`name{labels}`) in a Prometheus exposition, 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function scrape(request: APIRequestContext): Promise<string> {
  const response = await request.get("/api/metrics", { headers: admin });
  expect(response.status()).toBe(200);
  return response.text();
}

test.describe.configure({ mode: "serial" });

for (const path of ["/api/metrics", "/admin"]) {
  test(`GET ${path} – 401 with a Basic challenge without credentials, and with wrong ones`, async ({ request }) => {
    const attempts: Record<string, string>[] = [{}, { Authorization: basic(TEST_ADMIN.username, "wrong") }];
    for (const headers of attempts) {
      const response = await request.get(path, { headers });
      expect(response.status()).toBe(401);
      expect(response.headers()["www-authenticate"]).toContain("Basic");
      expect(await response.json()).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
    }
  });
}

test("GET /api/metrics – exposes the named series in Prometheus format", async ({ request }) => {
  const response = await request.get("/api/metrics", { headers: admin });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/plain");
  const text = await response.text();
  for (const series of [
    "# TYPE lyfm_http_request_duration_seconds histogram",
    "# TYPE lyfm_imports gauge",
    'lyfm_imports{status="complete"}',
    'lyfm_imports{status="failed"}',
    "# TYPE lyfm_queue_jobs gauge",
    'lyfm_queue_jobs{queue="fetch-scrobbles",state="waiting"}',
    'lyfm_queue_jobs{queue="enrich-albums",state="active"}',
    "# TYPE lyfm_lastfm_requests_total counter",
    'lyfm_lastfm_requests_total{outcome="ok"}',
    'lyfm_lastfm_requests_total{outcome="rate_limited"}',
    "# TYPE lyfm_enrichment_coverage_ratio gauge",
    'lyfm_enrichment_scrobbles{status="matched"}',
    "lyfm_lastfm_budget_backlog",
    "lyfm_lastfm_rate_limit_per_second 20",
    "lyfm_process_resident_memory_bytes",
  ]) {
    expect(text).toContain(series);
  }
});

test("GET /api/metrics – imports, Last.fm requests, coverage and request latency move after an import", async ({
  request,
}) => {
  const before = await scrape(request);
  // Not a demo user: the home page lists recent imports, and its spec looks for the demo users by name. A listener
  // no other spec imports (import-limits takes EmptyYearEmma's 2017–2025), so the import starts here, after `before`.
  const importPath = "/api/user/RealWorldRuth/2019";
  let status = "";
  await expect
    .poll(
      async () => {
        status = (await (await request.get(importPath, { headers: client })).json()).status;
        return status;
      },
      { timeout: 45_000, intervals: [250] },
    )
    .toBe("complete");

  const after = await scrape(request);
  const ok = 'lyfm_lastfm_requests_total{outcome="ok"}';
  expect(sample(after, ok)).toBeGreaterThan(sample(before, ok));
  const complete = 'lyfm_imports{status="complete"}';
  expect(sample(after, complete)).toBeGreaterThan(sample(before, complete));
  const matched = 'lyfm_enrichment_scrobbles{status="matched"}';
  expect(sample(after, matched)).toBeGreaterThan(sample(before, matched));
  expect(sample(after, "lyfm_enrichment_coverage_ratio")).toBeGreaterThan(0);
  const latency =
    'lyfm_http_request_duration_seconds_count{method="GET",route="/api/user/[username]/[year]",status="200"}';
  expect(sample(after, latency)).toBeGreaterThan(sample(before, latency));
  // A metric label never carries a username.
  expect(after).not.toMatch(/realworldruth/i);
});

test("GET /admin – 200 with the credentials: an HTML page with the budget, requests per minute, imports, queues and coverage", async ({
  request,
}) => {
  const response = await request.get("/admin", { headers: admin });
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/html");
  const html = await response.text();
  expect(html).toContain("<h1>Operations</h1>");
  const figure = (name: string) => new RegExp(`data-figure="${name}">([^<]*)<`).exec(html)?.[1];
  // The import of the previous test went through this deployment's Last.fm budget (20/s in the test app).
  expect(figure("lastfm-budget")).toBe("20/s");
  expect(Number(figure("lastfm-requests-minute")?.replaceAll(",", ""))).toBeGreaterThanOrEqual(0);
  expect(figure("lastfm-429-minute")).toMatch(/^\d[\d,]*$/);
  expect(figure("lastfm-budget-used")).toMatch(/^(\d+\.\d %|–)$/);
  expect(figure("coverage")).toMatch(/^\d+\.\d %$/);
  expect(html).toMatch(/<table class="data" id="lastfm-minutes">.*<th scope="col">429<\/th>/s);
  expect(html).toMatch(/id="imports">.*<td>complete<\/td><td>[1-9][\d,]*<\/td>/s);
  expect(html).toMatch(/id="queues">.*<td>fetch-scrobbles<\/td>.*<td>enrich-albums<\/td>/s);
  expect(html).toMatch(/id="match-rates">.*<td>matched<\/td><td>[1-9]/s);
  expect(html).toMatch(/<link rel="stylesheet" href="\/_next\/static\/chunks\/[^"]+\.css"/);
  expect(html).toContain('href="/admin/queues"');
});
