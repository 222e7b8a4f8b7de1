// The migrations in prisma/migrations and schema.prisma describe the same database.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { createMigratedDatabase, dropDatabase, runPrisma } from "@/tests/support/databases";

let database: { name: string; url: string };

before(async () => {
  database = await createMigratedDatabase("lyfm_schema");
});
after(async () => {
  await dropDatabase(database.name);
});

test("migrate deploy is idempotent: a second run applies nothing and succeeds", () => {
  const { status, output } = runPrisma(["migrate", "deploy"], database.url);
  assert.equal(status, 0, output);
  assert.match(output, /No pending migrations to apply/);
});

test("the migration history produces exactly schema.prisma (fails when one is edited without the other)", () => {
  const result = runPrisma(
    ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema", "prisma/schema.prisma", "--exit-code"],
    database.url,
  );
  assert.equal(result.status, 0, `schema.prisma and prisma/migrations differ:\n${result.output}`);
});

test("the migrated database matches schema.prisma", () => {
  const result = runPrisma(
    ["migrate", "diff", "--from-config-datasource", "--to-schema", "prisma/schema.prisma", "--exit-code"],
    database.url,
  );
  assert.equal(result.status, 0, `the migrated database differs from schema.prisma:\n${result.output}`);
});

test("migrate status reports the database up to date", () => {
  const { status, output } = runPrisma(["migrate", "status"], database.url);
  assert.equal(status, 0, output);
  assert.match(output, /up to date/i);
});
