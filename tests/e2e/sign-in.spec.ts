import { expect, type Page, type APIRequestContext, test } from "@playwright/test";

// Its own client IP, so these imports never use up the allowance the other specs share.
test.use({ extraHTTPHeaders: { "x-forwarded-for": "10.17.5.1" } });

const SIM = `http://127.0.0.1:${process.env.E2E_LASTFM_SIM_PORT ?? "3911"}`;
const LISTENER = "TimeTravelTom";
const YEAR = 2020;

async function waitForComplete(request: APIRequestContext, path: string) {
  await expect
    .poll(async () => (await (await request.get(path)).json()).status, { timeout: 45_000, intervals: [300] })
    .toBe("complete");
}

/** Starts a sign-in and returns the `state` our server put in the callback address. */
async function startSignIn(page: Page): Promise<string> {
  await page.goto("/account");
  await page.getByRole("link", { name: "Sign in with Last.fm" }).click();
  await expect(page.getByRole("button", { name: "Yes, allow access" })).toBeVisible();
  const cb = new URL(new URL(page.url()).searchParams.get("cb") ?? "");
  return cb.searchParams.get("state") ?? "";
}

async function simulatorToken(request: APIRequestContext, ageMs = 0): Promise<string> {
  const response = await request.post(`${SIM}/__auth/token`, { data: { user: LISTENER, ageMs } });
  return (await response.json()).token;
}

test("sign in with Last.fm, hide from Recently charted, delete everything, opt out, opt back in", async ({
  page,
  request,
  browser,
}) => {
  await waitForComplete(request, `/api/user/${LISTENER}/${YEAR}`);
  await page.goto("/");
  const recent = page.getByRole("region", { name: "Recently charted" });
  await expect(recent.getByRole("link", { name: new RegExp(LISTENER) })).toBeVisible();

  await startSignIn(page);
  await page.getByLabel("Signed in to Last.fm as").fill(LISTENER);
  await page.getByRole("button", { name: "Yes, allow access" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Signed in as ${LISTENER}`);
  const cookie = (await page.context().cookies()).find((c) => c.name === "lyfm_session");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.sameSite).toBe("Lax");
  await expect(page.getByTestId("stored")).toContainText("1 year");
  await page.screenshot({ path: "test-results/artifacts/account-signed-in.png", fullPage: true });

  await page.getByRole("button", { name: "Hide me from Recently charted" }).click();
  await expect(page.getByRole("status")).toContainText("hidden");
  await page.goto("/");
  await expect(recent.getByRole("link", { name: new RegExp(LISTENER) })).toHaveCount(0);

  await page.goto("/account");
  await page.getByRole("button", { name: "Delete everything" }).click();
  await expect(page.getByRole("dialog")).toContainText("Delete everything stored about you?");
  await page.getByRole("button", { name: "Yes, delete it all" }).click();
  await expect(page.getByRole("status")).toContainText(/Deleted 1 year and [\d,]+ scrobbles/);
  await expect(page.getByTestId("stored")).toContainText("Nothing is stored");
  const me = await page.request.get("/api/me");
  expect(await me.json()).toEqual({
    username: LISTENER,
    isHidden: true,
    isOptedOut: false,
    stored: { years: 0, scrobbles: 0 },
  });

  await page.getByRole("button", { name: "Opt out" }).click();
  await expect(page.getByRole("status")).toContainText("opted out");
  // Anyone else asking for this listener is told so, and nothing is imported.
  const stranger = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": "10.17.5.2" } });
  const other = await stranger.newPage();
  await other.goto(`/user/${LISTENER}/${YEAR}`);
  await expect(other.getByRole("heading", { level: 1 })).toHaveText("Opted out");
  await expect(other.getByText(`${LISTENER} has opted out of LastYear.fm`)).toBeVisible();
  const refused = await stranger.request.get(`/api/user/${LISTENER}/${YEAR}`);
  expect(refused.status()).toBe(403);
  expect((await refused.json()).error.code).toBe("opted_out");
  await other.screenshot({ path: "test-results/artifacts/opted-out-page.png", fullPage: true });

  await page.getByRole("button", { name: "Opt back in" }).click();
  await expect(page.getByRole("status")).toContainText("opted back in");
  const again = await stranger.request.get(`/api/user/${LISTENER}/${YEAR}`);
  expect([200, 202]).toContain(again.status());
  await stranger.close();

  await page.setViewportSize({ width: 390, height: 844 });
  // Charts resize on the next frames: the page must settle without sideways scrolling.
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth))
    .toBeLessThanOrEqual(0);
  await page.screenshot({ path: "test-results/artifacts/account-phone.png", fullPage: true });

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByRole("link", { name: "Sign in with Last.fm" })).toBeVisible();
  expect((await page.request.get("/api/me")).status()).toBe(401);
});

test("a forged token, an expired token and a signature mismatch are refused clearly and sign no one in", async ({
  page,
  request,
}) => {
  let state = await startSignIn(page);
  await page.goto(`/auth/callback?state=${state}&token=0123456789abcdef0123456789abcdef`);
  await expect(page).toHaveURL(/\/account\?error=invalid_token$/);
  await expect(
    page.getByRole("alert").filter({ hasText: "Last.fm did not recognise that sign-in token" }),
  ).toBeVisible();

  state = await startSignIn(page);
  const expired = await simulatorToken(request, 61 * 60 * 1000);
  await page.goto(`/auth/callback?state=${state}&token=${expired}`);
  await expect(page.getByRole("alert").filter({ hasText: "That sign-in link has expired" })).toBeVisible();

  // A token that did not come back through our own sign-in (no matching state) is refused before Last.fm.
  const stray = await simulatorToken(request);
  await page.goto(`/auth/callback?state=somebody-elses&token=${stray}`);
  await expect(page.getByRole("alert").filter({ hasText: "did not start here" })).toBeVisible();

  await request.post(`${SIM}/__config`, { data: { apiSecret: "not-the-shared-secret-of-this-app" } });
  try {
    state = await startSignIn(page);
    const token = await simulatorToken(request);
    await page.goto(`/auth/callback?state=${state}&token=${token}`);
    await expect(page.getByRole("alert").filter({ hasText: "refused this server's signature" })).toBeVisible();
  } finally {
    await request.post(`${SIM}/__config`, { data: { restoreApiSecret: true } });
  }
  await page.screenshot({ path: "test-results/artifacts/sign-in-error.png", fullPage: true });
  expect((await page.context().cookies()).find((c) => c.name === "lyfm_session")).toBeUndefined();
  expect((await page.request.get("/api/me")).status()).toBe(401);
});
