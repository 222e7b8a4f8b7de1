// Builds the Next standalone server when it is missing or older than the sources.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const SOURCES = [
  "app",
  "lib",
  "public",
  "proxy.ts",
  "next.config.mjs",
  "tsconfig.json",
  "package.json",
  "prisma/schema.prisma",
];
const SERVER = ".next/standalone/server.js";

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestMtime(join(path, entry))), stat.mtimeMs);
}

export function isBuildStale(): boolean {
  if (!existsSync(SERVER)) return true;
  const builtAt = statSync(SERVER).mtimeMs;
  return SOURCES.some((source) => newestMtime(source) > builtAt);
}

export async function ensureBuild(): Promise<void> {
  if (!isBuildStale()) return;
  console.log("[lastyear.fm] building the web app (first start or changed sources)…");
  const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  if (result.status !== 0) throw new Error("next build failed");
  copyStandaloneAssets();
}

/** next build does not copy static assets into the standalone folder. */
export function copyStandaloneAssets(): void {
  if (existsSync("public")) cpSync("public", ".next/standalone/public", { recursive: true });
  cpSync(".next/static", ".next/standalone/.next/static", { recursive: true });
}
