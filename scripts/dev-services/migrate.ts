// Applies pending Prisma migrations (`prisma migrate deploy`: idempotent, never prompts).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { StartError } from "./embedded-postgres";

export async function migrateDatabase(env: Record<string, string | undefined>): Promise<void> {
  const prisma = resolve("node_modules/prisma/build/index.js");
  const result = spawnSync(process.execPath, [prisma, "migrate", "deploy"], {
    env: env as NodeJS.ProcessEnv,
    encoding: "utf8",
  });
  if (result.status !== 0) {
    // Prisma prints a banner first; its own "Error:" line (or the last line) is the reason.
    const lines = `${result.stdout}\n${result.stderr}`
      .split("\n")
      .map((line) => line.trim())
      .filter(Boolean);
    const reason = lines.find((line) => /^Error\b|P\d{4}/.test(line)) ?? lines.at(-1) ?? "no output";
    throw new StartError(
      `Database migration failed (${reason}): check DATABASE_URL and that the database is reachable.`,
    );
  }
}
