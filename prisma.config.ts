import { fileURLToPath } from "node:url";
import { defineConfig } from "prisma/config";

// The native schema engine cannot be downloaded offline: use the wasm stand-in.
// PRISMA_SCHEMA_ENGINE_BINARY= (empty) or a path restores the native engine.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(new URL("./scripts/schema-engine-wasm.mjs", import.meta.url));

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL },
});
