import { expect, test } from "@playwright/test";

test("the home page explains the app, offers the demo users and validates the username", async ({ page }) => {
  await page.goto("/");

  await expect(page.getByRole("heading", { level: 1 })).toContainText("What era");
  await expect(page.getByRole("note")).toContainText("Demo mode");
  for (const name of ["VinylVera", "NightBusNico", "DadRockDan"]) {
    await expect(page.getByRole("link", { name: new RegExp(name) })).toBeVisible();
  }

  await page.getByLabel("Last.fm username").fill("1bad name");
  await page.getByRole("button", { name: "Show my year" }).click();
  await expect(page.locator("#username-error")).toContainText("2–15 characters");
  await expect(page).toHaveURL(/\/$/);
});
