import { expect, test } from "@playwright/test";

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

test("an unknown user gets a finished not-found page, kept out of search engines", async ({ page }) => {
  // The loading skeleton has already streamed (status 200), so Next marks the page noindex instead.
  await page.goto("/user/NobodyHere/2020");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("No such Last.fm user");
  await expect(page.locator('meta[name="robots"]').first()).toHaveAttribute("content", /noindex/);
});

test("a private user gets a page that says so", async ({ page }) => {
  await page.goto("/user/PrivatePat/2020");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("This profile is private");
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
