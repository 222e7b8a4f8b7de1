import { defineConfig } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3107);
export const baseURL = `http://127.0.0.1:${PORT}`;

// The specs drive the real app: `npm start`'s own code path (standalone server + worker + demo simulators)
// on a throwaway database and Redis prefix, started by tests/support/serve-app.ts.
export default defineConfig({
  testDir: "tests",
  testMatch: /\.spec\.ts$/,
  outputDir: "test-results",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  reporter: [["list"]],
  use: {
    baseURL,
    browserName: "chromium",
    screenshot: "only-on-failure",
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "api", testMatch: /tests\/api\/.*\.spec\.ts$/ },
    // The browser specs start many imports between them: they come from addresses of their own (the test app
    // trusts one proxy hop), so the API specs' per-IP import limit on 127.0.0.1 is not spent by them.
    {
      name: "e2e",
      testMatch: /tests\/e2e\/.*\.spec\.ts$/,
      use: { extraHTTPHeaders: { "x-forwarded-for": "203.0.113.20" } },
    },
  ],
  webServer: {
    command: "node --import tsx tests/support/serve-app.ts",
    url: `${baseURL}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    env: { E2E_PORT: String(PORT) },
  },
});
