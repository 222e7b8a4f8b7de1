import { expect, type Page, test } from "@playwright/test";

// Its own client IP, so these imports never use up the allowance the other specs share.
test.use({ extraHTTPHeaders: { "x-forwarded-for": "10.17.3.1" } });

async function expectReady(page: Page) {
  await expect(page.getByTestId("compare-progress")).toBeHidden({ timeout: 45_000 });
  await expect(page.locator(".chart-box canvas")).toBeVisible();
}

test("compare two years of one listener: overlaid shares, story numbers side by side, a share image", async ({
  page,
  request,
}) => {
  await page.goto("/user/LightLeo/2023");
  await expect(page.getByText("median age of what you played")).toBeVisible({ timeout: 45_000 });
  await page.getByLabel("2023 with").selectOption("2020");
  await page.getByRole("button", { name: "Compare years" }).click();

  await expect(page).toHaveURL(/\/user\/LightLeo\/compare\/2023\/2020$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("LightLeo: 2023 vs 2020");
  await expectReady(page);
  const stats = page.getByTestId("compare-stats");
  await expect(stats.getByRole("columnheader")).toHaveText(["", "2023", "2020"]);
  const median = stats.getByRole("row", { name: /Median age/ });
  await expect(median.getByRole("cell")).toHaveText([/^\d+ years$/, /^\d+ years$/]);

  // The numbers are the API's, which are the year pages' own.
  const api = await (await request.get("/api/user/LightLeo/compare/2023/2020")).json();
  expect(api.kind).toBe("years");
  expect(api.isReady).toBe(true);
  expect(api.sides.map((side: { year: number }) => side.year)).toEqual([2023, 2020]);
  const year = await (await request.get("/api/user/LightLeo/2023")).json();
  expect(api.sides[0].totals).toEqual(year.totals);
  await expect(median.getByRole("cell").first()).toHaveText(`${api.sides[0].story.medianAge} years`);

  const image = page.locator('meta[property="og:image"]');
  const imageUrl = new URL((await image.getAttribute("content")) ?? "");
  const card = await request.get(imageUrl.pathname);
  expect(card.status()).toBe(200);
  expect(card.headers()["content-type"]).toBe("image/png");
  await page.screenshot({ path: "test-results/artifacts/compare-years-desktop.png", fullPage: true });

  await page.setViewportSize({ width: 390, height: 844 });
  // Charts resize on the next frames: the page must settle without sideways scrolling.
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth))
    .toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/artifacts/compare-years-phone.png", fullPage: true });
});

test("compare two listeners in one year, from the year page's form", async ({ page, request }) => {
  await page.goto("/user/LightLeo/2022");
  await expect(page.getByText("median age of what you played")).toBeVisible({ timeout: 45_000 });
  await page.getByLabel("LightLeo with").fill("DadRockDan");
  await page.getByRole("button", { name: "Compare listeners" }).click();

  await expect(page).toHaveURL(/\/user\/LightLeo\/2022\/vs\/DadRockDan$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("LightLeo vs DadRockDan in 2022");
  await expectReady(page);
  await expect(page.getByTestId("compare-stats").getByRole("columnheader")).toHaveText(["", "LightLeo", "DadRockDan"]);
  await page.getByRole("button", { name: "Decades" }).click();
  await page.getByText("The data as a table").click();
  await expect(page.getByRole("row", { name: /^\d{4}s / }).first()).toContainText("%");

  const api = await (await request.get("/api/user/LightLeo/2022/vs/DadRockDan")).json();
  expect(api.kind).toBe("listeners");
  expect(api.sides.map((side: { username: string }) => side.username)).toEqual(["LightLeo", "DadRockDan"]);
  const card = await request.get("/user/LightLeo/2022/vs/DadRockDan/opengraph-image");
  expect(card.headers()["content-type"]).toBe("image/png");
  await page.screenshot({ path: "test-results/artifacts/compare-listeners-desktop.png", fullPage: true });
});

test("comparisons name what is wrong: an unknown listener, a year without plays, the same thing twice", async ({
  page,
  request,
}) => {
  const unknown = await request.get("/api/user/LightLeo/2022/vs/NobodyHere");
  expect(unknown.status()).toBe(404);
  expect(await unknown.json()).toEqual({
    error: { code: "user_not_found", message: "No Last.fm user is called NobodyHere." },
  });

  // Another spec may import her other years meanwhile: watch only the refused one.
  const yearStates = async () =>
    (await (await request.get("/api/user/EmptyYearEmma")).json()).years.filter(
      (entry: { year: number }) => entry.year === 2021,
    );
  const before = await yearStates();
  const empty = await request.get("/api/user/EmptyYearEmma/compare/2021/2022");
  expect(empty.status()).toBe(404);
  expect(await empty.json()).toEqual({
    error: { code: "no_plays", message: "EmptyYearEmma has no plays in 2021: pick another year." },
  });
  // Refused before anything started: 2021 is as it was (never imported here, whatever another spec did).
  expect(await yearStates()).toEqual(before);

  const same = await request.get("/api/user/LightLeo/compare/2022/2022");
  expect(same.status()).toBe(400);
  expect((await same.json()).error.code).toBe("invalid_input");

  await page.goto("/user/LightLeo/2022/vs/NobodyHere");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nothing to compare");
  await expect(page.getByText("No Last.fm user is called NobodyHere.")).toBeVisible();
  await page.goto("/user/EmptyYearEmma/compare/2021/2022");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("No plays that year");
});
