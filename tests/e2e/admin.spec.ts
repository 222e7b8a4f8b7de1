import { expect, test } from "@playwright/test";
import { TEST_ADMIN } from "@/tests/support/limits";

test.use({ httpCredentials: TEST_ADMIN });

test("Bull Board renders every queue in Chromium behind basic auth", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto("/admin/queues");

  await expect(page.getByText("fetch-scrobbles").first()).toBeVisible();
  await expect(page.getByText("enrich-albums").first()).toBeVisible();
  await expect(page.getByText("match-names").first()).toBeVisible();
  await page.screenshot({ path: "test-results/artifacts/bull-board.png" });
  expect(errors).toEqual([]);
});

test("the /admin operations page renders with the app's styles in Chromium behind basic auth", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(200);

  await expect(page.getByRole("heading", { name: "Operations" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Last.fm" })).toBeVisible();
  await expect(page.locator("#queues")).toContainText("fetch-scrobbles");
  await expect(page.locator("#imports")).toContainText("complete");
  // globals.css is applied: the dark background and the panel styling of the summary figures.
  expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(15, 17, 21)");
  expect(
    await page
      .locator(".stat")
      .first()
      .evaluate((el) => getComputedStyle(el).borderRadius),
  ).toBe("12px");
  await page.screenshot({ path: "test-results/artifacts/admin.png", fullPage: true });
  expect(errors).toEqual([]);
});
