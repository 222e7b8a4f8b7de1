import { expect, test } from "@playwright/test";
import { TEST_ADMIN } from "../support/limits";

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
