// The first start as a new user on a fresh VPS makes it: as root, in a folder only root may enter. It lives with
// the API specs because they run after the app is built, and a copied build keeps this test to seconds.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { deleteRedisPrefix, uniqueName } from "@/tests/support/databases";
import { createPrivateCheckout, freePort } from "@/tests/support/private-checkout";

const isRoot = process.getuid?.() === 0;

async function waitForHealth(url: string, child: ChildProcess, output: () => string): Promise<number> {
  for (let tries = 0; tries < 240; tries++) {
    if (child.exitCode !== null) throw new Error(`npm start exited:\n${output()}`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return status;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no healthy answer:\n${output()}`);
}

test("npm start as root in a 0700 folder: the embedded PostgreSQL starts, /api/health and / answer 200, Ctrl-C stops it all", async () => {
  test.skip(!isRoot, "the case is root's: PostgreSQL refuses root and runs as another OS user");
  test.setTimeout(240_000);
  const checkout = createPrivateCheckout();
  const prefix = uniqueName("lyfmfirst").replaceAll("_", "-");
  const [port, pgPort, simPort] = [await freePort(), await freePort(), await freePort()];
  let output = "";
  const env: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/root" };
  Object.assign(env, { PORT: String(port), EMBEDDED_PG_PORT: String(pgPort), LASTFM_SIM_PORT: String(simPort) });
  Object.assign(env, { REDIS_PREFIX: prefix, HOSTNAME: "127.0.0.1" });
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    cwd: checkout.dir,
    env: env as NodeJS.ProcessEnv,
  });
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  let dataDir: string | undefined;
  try {
    expect(await waitForHealth(`http://127.0.0.1:${port}/api/health`, child, () => output)).toBe(200);
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(200);
    dataDir = /using embedded PostgreSQL \(data in (\S+),/.exec(output)?.[1];
    expect(dataDir, output).toBeTruthy();
    expect(output).not.toMatch(/^\s+at /m);

    child.kill("SIGINT");
    await new Promise((resolve) => child.once("exit", resolve));
    const database = await fetch(`http://127.0.0.1:${pgPort}`).then(
      () => "up",
      (error: Error & { cause?: { code?: string } }) => error.cause?.code,
    );
    expect(database).toBe("ECONNREFUSED");
  } finally {
    if (child.exitCode === null) child.kill("SIGKILL");
    if (dataDir && existsSync(dataDir) && dataDir.startsWith("/var/lib/lastyear-fm/")) {
      rmSync(dataDir, { recursive: true, force: true });
    }
    checkout.remove();
    await deleteRedisPrefix(prefix);
  }
});
