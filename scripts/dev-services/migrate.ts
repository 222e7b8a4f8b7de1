// Applies pending Prisma migrations (`prisma migrate deploy`: idempotent, never prompts).
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

export async function migrateDatabase(env: Record<string, string | undefined>): Promise<void> {
  const prisma = resolve("node_modules/prisma/build/index.js");
  const result = spawnSync(process.execPath, [prisma, "migrate", "deploy"], {
    env: env as NodeJS.ProcessEnv,
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`Database migration failed:\n${result.stdout}\n${result.stderr}`);
  }
}
