import { trueDistribution } from "@/scripts/simulators/lastfm/users";
import { expect, test } from "@playwright/test";

// This file alone starts more imports than one address may in the window: it has an address of its own.
test.use({ extraHTTPHeaders: { "x-forwarded-for": "203.0.113.21" } });

test("a demo user's year: progress, then the chart; clicking a bar lists that year's albums", async ({ page }) => {
  await page.goto("/");
  await page.getByRole("link", { name: /NightBusNico/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("NightBusNico");
  await page.getByRole("link", { name: /^2023/ }).click();

  await expect(page.getByRole("heading", { level: 1 })).toContainText("NightBusNico's 2023");
  await expect(page.getByTestId("coverage")).toContainText("dated", { timeout: 30_000 });
  const chart = page.locator(".chart-box canvas");
  await expect(chart).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText("median age of what you played")).toBeVisible({ timeout: 30_000 });

  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  if (!box) throw new Error("no chart");
  // Click just above the x axis, left to right, until a bar opens its album list.
  for (let x = box.x + 30; x < box.x + box.width - 5 && !(await page.getByTestId("albums").isVisible()); x += 4) {
    await page.mouse.click(x, box.y + box.height - 40);
  }
  await expect(page.getByTestId("albums")).toContainText("most played albums");
  await expect(page.getByTestId("albums").locator("li").first()).toContainText("plays");
  await page.screenshot({ path: "test-results/artifacts/year-chart.png", fullPage: true });
});

test("an unknown or invalid user gets a finished not-found page with status 404, kept out of search engines", async ({
  page,
}) => {
  for (const path of ["/user/NobodyHere/2020", "/user/NobodyHere", `/user/${encodeURIComponent("no spaces")}/2020`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { level: 1 }), path).toHaveText("No such Last.fm user");
    await expect(page.locator('meta[name="robots"]').first(), path).toHaveAttribute("content", /noindex/);
  }
});

test("a private user gets a finished page that says so, with status 403, kept out of search engines", async ({
  page,
}) => {
  for (const path of ["/user/PrivatePat/2020", "/user/PrivatePat"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { level: 1 }), path).toHaveText("This profile is private");
    await expect(page.getByText("(private_profile)"), path).toBeVisible();
    await expect(page.locator('meta[name="robots"]').first(), path).toHaveAttribute("content", /noindex/);
  }
});

test("re-import asks for confirmation, then imports the year again", async ({ page, request }) => {
  for (let i = 0; i < 100; i++) {
    if ((await (await request.get("/api/user/LightLeo/2019")).json()).status === "complete") break;
    await page.waitForTimeout(200);
  }
  await page.goto("/user/LightLeo/2019");
  await page.getByRole("button", { name: "Re-import" }).click();
  await expect(page.getByRole("dialog")).toContainText("Re-import 2019?");
  await page.getByRole("button", { name: "Yes, re-import" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Started" })).toBeVisible();
  await expect(page.getByText("median age of what you played")).toBeVisible({ timeout: 30_000 });
});

test.describe("in Los Angeles", () => {
  test.use({ timezoneId: "America/Los_Angeles" });

  test("the year follows the zone: New Year's Eve plays move into the year, without a new import", async ({
    page,
    request,
  }) => {
    const sim = `http://127.0.0.1:${process.env.E2E_LASTFM_SIM_PORT ?? "3911"}`;
    const la = { from: Date.parse("2024-01-01T08:00:00Z") / 1000, to: Date.parse("2025-01-01T08:00:00Z") / 1000 };
    const utc = { from: Date.parse("2024-01-01T00:00:00Z") / 1000, to: Date.parse("2025-01-01T00:00:00Z") / 1000 };
    const rumours = (window: { from: number; to: number }) =>
      trueDistribution("NewYearNoor", window.from, window.to).byYear.get(1977) ?? 0;
    // The table's row of 1977 (its header is the drill-down button); its first cell is the scrobbles.
    const row1977 = page
      .locator("table.data tr")
      .filter({ has: page.getByRole("button", { name: "Show the albums of 1977", exact: true }) });
    const openTable = () =>
      page.locator("details:has(table.data)").evaluate((details) => {
        (details as HTMLDetailsElement).open = true;
      });

    // The link without a zone is the UTC year, as before.
    await page.goto("/user/NewYearNoor/2024");
    await expect(page.getByText("median age of what you played")).toBeVisible({ timeout: 30_000 });
    await openTable();
    await expect(row1977.getByRole("cell").first()).toHaveText(rumours(utc).toLocaleString("en"));
    const imported = (await (await request.get(`${sim}/__stats`)).json()).byMethod["user.getrecenttracks"];

    // The browser's zone is offered; choosing it changes the link, the chart data and the totals.
    await page.getByRole("button", { name: /Use my time zone \(America\/Los Angeles\)/ }).click();
    await expect(page).toHaveURL(/\?tz=America%2FLos_Angeles$/);
    await expect(page.getByRole("combobox", { name: "Time zone" })).toHaveValue("America/Los_Angeles");
    await openTable();
    await expect(row1977.getByRole("cell").first()).toHaveText(rumours(la).toLocaleString("en"));
    expect(rumours(la)).toBe(rumours(utc) + 30);
    await expect(page.getByTestId("coverage")).toContainText(
      `${trueDistribution("NewYearNoor", la.from, la.to).total.toLocaleString("en")} scrobbles`,
    );
    const after = (await (await request.get(`${sim}/__stats`)).json()).byMethod["user.getrecenttracks"];
    expect(after).toBe(imported);

    // Back on the profile, the year links carry the browser's zone.
    await page.goto("/user/NewYearNoor");
    await expect(page.getByRole("link", { name: /^2024/ })).toHaveAttribute(
      "href",
      "/user/NewYearNoor/2024?tz=America%2FLos_Angeles",
    );
  });
});

test("the chart counts plays Auto, By album or By song, and says how on the page", async ({ page }) => {
  await page.goto("/user/LightLeo/2022");
  await expect(page.getByTestId("coverage")).toContainText("by song", { timeout: 60_000 });
  await expect(page.getByTestId("coverage")).toContainText(/counted by album \d+ %, by song \d+ % dated/);
  const countBy = page.getByTestId("count-by");
  await expect(countBy.getByRole("button", { name: "Auto" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("count-by-note")).toContainText("compilation");

  await countBy.getByRole("button", { name: "By song" }).click();
  await expect(countBy.getByRole("button", { name: "By song" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByTestId("count-by-note")).toContainText("its song first came out");
  await countBy.getByRole("button", { name: "By album" }).click();
  await expect(page.getByTestId("count-by-note")).toContainText("its album first came out");
  await expect(page.locator(".chart-box canvas")).toBeVisible();
});

test("a heavy year shows a preview chart from Last.fm's album chart before the import finishes, then the exact chart", async ({
  page,
  request,
}) => {
  test.setTimeout(180_000);
  // Big pages are slow here (2 ms a play): the year's 51 requests take many seconds, its album chart two.
  const simulator = `http://127.0.0.1:${process.env.E2E_LASTFM_SIM_PORT ?? "3911"}/__config`;
  expect((await request.post(simulator, { data: { latencyPerItemMs: 2 } })).ok()).toBe(true);
  try {
    await page.goto("/user/HeavyHanna/2024");
    const basis = page.getByTestId("basis");
    await expect(basis).toContainText(/from Last\.fm's album chart: \d+ % of your 50,000 plays/, { timeout: 45_000 });
    await expect(page.locator(".chart-box canvas")).toBeVisible();
    await expect(page.getByTestId("progress")).toBeVisible();
    const body = await (await request.get("/api/user/HeavyHanna/2024")).json();
    expect(body.basis).toBe("album_chart");
    expect(body.status).not.toBe("complete");
    await page.screenshot({ path: "test-results/artifacts/preview-chart.png", fullPage: true });

    await expect(page.getByText("median age of what you played")).toBeVisible({ timeout: 120_000 });
    await expect(basis).toBeHidden();
    expect((await (await request.get("/api/user/HeavyHanna/2024")).json()).basis).toBe("scrobbles");
  } finally {
    await request.post(simulator, { data: { latencyPerItemMs: 0 } });
  }
});
