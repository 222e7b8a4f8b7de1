import { expect, test } from "@playwright/test";

// Its own client IP: charting every year counts as one import start.
// The history counts UTC years; a browser in UTC opens the same years from its links.
test.use({ extraHTTPHeaders: { "x-forwarded-for": "10.17.4.1" }, timezoneId: "UTC" });

const LISTENER = "BoundaryBen";

test("history fills in: every played year, queued with one click, gets its decades and median age live, with a trend, each linking to its year", async ({
  page,
  request,
}) => {
  await page.goto(`/user/${LISTENER}`);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(LISTENER);
  const history = page.getByTestId("history");
  const summary = page.getByTestId("history-summary");
  const total = Number((await summary.textContent())?.match(/of (\d+) years/)?.[1]);
  expect(total).toBeGreaterThan(3);
  // Nothing is imported yet; one click queues every year, and they fill in while we watch, without a reload.
  await expect(summary).toContainText(`0 of ${total} years charted`);
  await page.getByRole("button", { name: `Chart every year (${total} not imported yet)` }).click();
  await expect(page.getByRole("status").filter({ hasText: `${total} years queued` })).toBeVisible();
  await expect(page.getByRole("button", { name: /Chart every year/ })).toBeHidden();
  await page.screenshot({ path: "test-results/artifacts/history-filling.png", fullPage: true });
  await expect(summary).toHaveText(`${total} of ${total} years charted`, { timeout: 50_000 });

  // Each year row: a link to its page, shaded decade cells, and a median age that matches the year's story.
  const api = await (await request.get(`/api/user/${LISTENER}/history`)).json();
  expect(api.years).toHaveLength(total);
  for (const year of api.years) {
    expect(year.basis).toBe("scrobbles");
    const sum = year.decades.reduce((s: number, cell: { share: number }) => s + cell.share, 0);
    expect(sum).toBeGreaterThan(0.98);
    expect(sum).toBeLessThan(1.02);
  }
  expect(api.decades[0]).toBeLessThanOrEqual(api.years[0].decades[0].decade);
  expect(api.trend).not.toBeNull();
  const row = history.getByRole("row", { name: /^2024 / });
  const year2024 = api.years.find((year: { year: number }) => year.year === 2024);
  await expect(row.getByRole("cell").last()).toHaveText(`${year2024.medianAge} y`);
  await expect(page.getByTestId("trend-text")).toContainText(/median age/);
  await expect(page.getByTestId("age-trend").locator("canvas")).toBeVisible();
  await page.screenshot({ path: "test-results/artifacts/history-desktop.png", fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  // Charts resize on the next frames: the page must settle without sideways scrolling.
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth))
    .toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/artifacts/history-phone.png", fullPage: true });

  await row.getByRole("link", { name: "2024" }).click();
  await expect(page).toHaveURL(new RegExp(`/user/${LISTENER}/2024$`));
  await expect(page.getByText("median age of what you played")).toBeVisible();
  await expect(page.locator(".stat b").first()).toHaveText(`${year2024.medianAge} years`);
});
