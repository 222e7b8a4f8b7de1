// A start that cannot work says what to do in one line and exits non-zero; it never shows a stack trace.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { createServer, type Server } from "node:net";
import { test } from "node:test";
import { DEMO_API_KEY } from "@/scripts/dev-services/demo";
import { databaseUrl } from "@/tests/support/databases";
import { freePort } from "@/tests/support/private-checkout";

function start(env: Record<string, string>): { status: number | null; lines: string[] } {
  const childEnv: Record<string, string> = { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...env };
  const result = spawnSync(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
    env: childEnv as NodeJS.ProcessEnv,
    encoding: "utf8",
    timeout: 60_000,
  });
  const lines = `${result.stdout}${result.stderr}`.split("\n").filter((line) => line.startsWith("[lastyear.fm]"));
  assert.doesNotMatch(`${result.stdout}${result.stderr}`, /^\s+at /m, "no stack trace");
  return { status: result.status, lines };
}

test("a taken PORT: one line naming the port and the variable to change", async () => {
  const port = await freePort();
  const holder: Server = createServer();
  await new Promise<void>((listening) => holder.listen(port, "0.0.0.0", listening));
  try {
    const { status, lines } = start({ PORT: String(port) });
    assert.notEqual(status, 0);
    assert.deepEqual(lines, [
      `[lastyear.fm] Port ${port} is already in use (another npm start?): stop what holds it, or set PORT to a free port.`,
    ]);
  } finally {
    holder.close();
  }
});

test("a bad variable: one line naming it, before anything is started", async () => {
  const { status, lines } = start({
    PORT: String(await freePort()),
    DATABASE_URL: databaseUrl("lyfm_never_created"),
    REDIS_URL: "redis://127.0.0.1:6379",
    LASTFM_API_KEY: "not-a-key",
  });
  assert.notEqual(status, 0);
  assert.equal(lines.length, 1, lines.join("\n"));
  assert.match(lines[0], /^\[lastyear\.fm\] Invalid configuration: LASTFM_API_KEY.*fix it in \.env/);
});

test("an unreachable DATABASE_URL: one line saying the migration failed and what to check", async () => {
  const { status, lines } = start({
    PORT: String(await freePort()),
    DATABASE_URL: `postgresql://postgres@127.0.0.1:${await freePort()}/nothing`,
    REDIS_URL: "redis://127.0.0.1:6379",
    LASTFM_API_KEY: DEMO_API_KEY,
  });
  assert.notEqual(status, 0);
  assert.equal(lines.length, 1, lines.join("\n"));
  assert.match(lines[0], /^\[lastyear\.fm\] Database migration failed \(.+\): check DATABASE_URL/);
});
