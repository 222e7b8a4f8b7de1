import { expect, type Page, test } from "@playwright/test";

async function openFinishedYear(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByText("median age of what you played")).toBeVisible({ timeout: 45_000 });
}

test("keyboard drill-down: arrow keys on the chart and the table's buttons list a year's albums with outside links", async ({
  page,
}) => {
  await openFinishedYear(page, "/user/VinylVera/2022");
  const slider = page.getByRole("slider");
  const min = Number(await slider.getAttribute("aria-valuemin"));
  const max = Number(await slider.getAttribute("aria-valuemax"));
  // A continuous axis: one bar per year from the first to the last, played or not.
  await expect(page.getByTestId("chart")).toHaveAttribute("data-bar-count", String(max - min + 1));

  const albums = page.getByTestId("albums");
  await expect(albums).toBeHidden();
  await slider.focus();
  await page.keyboard.press("Home");
  await expect(slider).toHaveAttribute("aria-valuenow", String(min));
  await expect(albums).toBeVisible();
  await expect(albums.getByRole("heading")).toHaveText(`${min}: most played albums`);

  await page.keyboard.press("ArrowRight");
  const next = Number(await slider.getAttribute("aria-valuenow"));
  expect(next).toBeGreaterThan(min);
  await expect(albums.getByRole("heading")).toHaveText(`${next}: most played albums`);
  await expect(slider).toHaveAttribute("aria-valuetext", new RegExp(`^${next}: [\\d,]+ scrobbles$`));

  const first = albums.locator("li").first();
  await expect(first).toContainText("plays");
  await expect(first.getByRole("link", { name: /on MusicBrainz/ })).toHaveAttribute(
    "href",
    /\/release-group\/[0-9a-f-]{36}$/,
  );
  await expect(first.getByRole("link", { name: /on Last\.fm/ })).toHaveAttribute("href", /\/music\/[^/]+\/[^/]+$/);

  // The table: every played year, a share, the undated plays and the total; its buttons drill down too.
  await page.getByText("The data as a table").focus();
  await page.keyboard.press("Enter");
  const table = page.getByTestId("table");
  await expect(table.getByRole("row", { name: /No release year found/ })).toBeVisible();
  await expect(table.getByRole("row", { name: /All scrobbles/ })).toBeVisible();
  const lastButton = table.getByRole("button", { name: `Show the albums of ${max}` });
  await lastButton.focus();
  await page.keyboard.press("Enter");
  await expect(albums.getByRole("heading")).toHaveText(`${max}: most played albums`);
  await expect(albums).toBeFocused();
  await page.screenshot({ path: "test-results/artifacts/drill-down-desktop.png", fullPage: true });

  // Decades: the same continuous axis, ten years a bar.
  await page.getByRole("button", { name: "Decades" }).click();
  const decadeMin = Number(await slider.getAttribute("aria-valuemin"));
  const decadeMax = Number(await slider.getAttribute("aria-valuemax"));
  await expect(page.getByTestId("chart")).toHaveAttribute("data-bar-count", String((decadeMax - decadeMin) / 10 + 1));
  await slider.focus();
  await page.keyboard.press("End");
  await expect(albums.getByRole("heading")).toHaveText(`${decadeMax}s: most played albums`);
});

test("the year page with its drill-down fits a phone", async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openFinishedYear(page, "/user/VinylVera/2022");
  await page.getByRole("slider").focus();
  await page.keyboard.press("End");
  await expect(page.getByTestId("albums")).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/artifacts/drill-down-phone.png", fullPage: true });
});
