#!/usr/bin/env node
// Stand-in for Prisma's native `schema-engine` binary, selected through
// PRISMA_SCHEMA_ENGINE_BINARY (see prisma.config.ts).
//
// The native engine is downloaded at run time, which is impossible offline.
// @prisma/schema-engine-wasm is the same Rust engine compiled to wasm; it only
// needs a driver adapter, so this script wraps it in the native binary's
// process protocol:
//
//   <this> --datasource '{"url":…}' [--datamodels <file>…]
//       line-delimited JSON-RPC 2.0 over stdin/stdout, one process per CLI command
//   <this> --datasource '{"url":…}' cli can-connect-to-database|create-database
//       one-shot checks; exit code 0 = success, failures as JSON log lines on stderr
//   <this> --version
//
// stdout carries only protocol messages; everything else goes to stderr as
// JSON log lines, the format the CLI parses.

import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { PrismaPg } from "@prisma/adapter-pg";
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from "@prisma/driver-adapter-utils";
import pg from "pg";
import { parse as parseConnectionString } from "pg-connection-string";

// ---------------------------------------------------------------------------
// Logging. The CLI reads stderr line by line as JSON (and for the `cli`
// one-shots skips the first line, then JSON.parses every other one), so a
// stray plain-text Node warning would break error reporting.

function logLine(level, message, extra = {}) {
  const entry = {
    timestamp: new Date().toISOString(),
    level,
    fields: { message, ...extra },
    target: "schema_engine::logger",
  };
  process.stderr.write(`${JSON.stringify(entry)}\n`);
}

process.removeAllListeners("warning");
process.on("warning", (warning) => logLine("WARN", `${warning.name}: ${warning.message}`));

// ---------------------------------------------------------------------------
// Command line (same flags as the native binary; unknown ones are ignored so a
// newer CLI that adds flags still works).

function parseArgs(argv) {
  const args = { datasource: {}, datamodels: [], cliCommand: null, version: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--datasource") args.datasource = JSON.parse(argv[++i]);
    else if (arg === "--datamodels") args.datamodels.push(argv[++i]);
    else if (arg === "--version" || arg === "-V") args.version = true;
    else if (arg === "cli") args.cliCommand = argv[++i];
    else if (arg.startsWith("--") && argv[i + 1] !== undefined && !argv[i + 1].startsWith("--")) i++;
  }
  return args;
}

// ---------------------------------------------------------------------------
// Connection settings. pg ignores `database` when `connectionString` is set, so
// every pool is built from discrete fields: that is what lets the shadow
// database pool really point at the shadow database.

const quoteIdent = (name) => `"${String(name).replaceAll('"', '""')}"`;

function connectionSettings(url) {
  if (!url) {
    throw new Error(
      "The wasm schema engine needs `datasource.url` in prisma.config.ts (a reachable PostgreSQL database), even for commands the native engine runs without one.",
    );
  }
  const { schema: schemaParam, connectionString: _ignored, ...fields } = parseConnectionString(url);
  const schema = schemaParam || "public";
  const config = {
    ...fields,
    port: fields.port ? Number(fields.port) : 5432,
    // Equivalent of the native engine's `?schema=` handling: generated SQL is
    // unqualified, so every pooled connection must resolve names in that
    // schema. pg-pool awaits this hook before handing the connection out.
    onConnect: (client) => client.query(`SET search_path TO ${quoteIdent(schema)}`),
  };
  return { config, schema };
}

const serverLocation = (config) => `${config.host ?? "localhost"}:${config.port}`;

// Runs a single statement on a short-lived connection (CREATE/DROP DATABASE
// cannot run through a pool that may hold the target database open).
async function withClient(config, fn) {
  const client = new pg.Client(config);
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => {});
  }
}

// Maps pg/socket errors to the Prisma error codes the CLI branches on
// (P1003 makes `migrate deploy/dev` create the database first).
function userFacingConnectionError(error, config) {
  const location = serverLocation(config);
  switch (error?.code) {
    case "3D000":
      return {
        code: "P1003",
        message: `Database \`${config.database}\` does not exist on the database server at \`${location}\`.`,
      };
    case "42P04":
      return {
        code: "P1009",
        message: `Database \`${config.database}\` already exists on the database server at \`${location}\``,
      };
    case "28P01":
    case "28000":
      return {
        code: "P1000",
        message: `Authentication failed against database server, the provided database credentials for \`${config.user}\` are not valid.\n\nPlease make sure to provide valid database credentials for the database server at the configured address.`,
      };
    case "ECONNREFUSED":
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EHOSTUNREACH":
    case "ETIMEDOUT":
      return {
        code: "P1001",
        message: `Can't reach database server at \`${location}\`\n\nPlease make sure your database server is running at \`${location}\`.`,
      };
    default:
      return { code: undefined, message: error?.message ?? String(error) };
  }
}

async function checkConnection(config) {
  await withClient(config, (client) => client.query("SELECT 1"));
}

// CREATE DATABASE has to be issued from another database on the same server.
async function createDatabase(config) {
  let lastError;
  for (const maintenanceDb of ["postgres", "template1"]) {
    try {
      await withClient({ ...config, database: maintenanceDb }, (client) =>
        client.query(`CREATE DATABASE ${quoteIdent(config.database)}`),
      );
      return config.database;
    } catch (error) {
      if (error?.code !== "3D000") throw error;
      lastError = error;
    }
  }
  throw lastError;
}

// ---------------------------------------------------------------------------
// Driver adapter: @prisma/adapter-pg with the fixes the schema engine needs.

// adapter-pg has no column type for Postgres' internal "char" (OID 18), which
// the engine's catalog queries return (pg_constraint.contype, …). The engine
// reads those with a character getter, so the column must be typed Character;
// typing it Text makes the describer panic on newer servers.
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;
const charColumns = Symbol("charColumns");

function fixCharColumns(queryable) {
  const performIO = queryable.performIO.bind(queryable);
  const queryRaw = queryable.queryRaw.bind(queryable);
  // Positions travel on the rows array (returned as-is by queryRaw) rather
  // than in shared state, because queries on one pool run concurrently.
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    const positions = [];
    result.fields?.forEach((field, index) => {
      if (field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
        positions.push(index);
      }
    });
    if (positions.length > 0 && result.rows) result.rows[charColumns] = positions;
    return result;
  };
  queryable.queryRaw = async (query) => {
    const result = await queryRaw(query);
    for (const index of result.rows?.[charColumns] ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}

// The native engine sends a migration script in one simple-protocol query.
// adapter-pg splits on ";" instead, which breaks function bodies and string
// literals and loses the all-or-nothing implicit transaction.
function runScriptsWhole(adapter) {
  adapter.executeScript = async (script) => {
    try {
      await adapter.underlyingDriver().query(script);
    } catch (error) {
      adapter.onError(error);
    }
  };
  return adapter;
}

class ShimPgFactory extends PrismaPg {
  #schema;
  #shadowDatabaseUrl;
  #shadowDatabases; // names of databases this process created and must drop

  constructor({ config, schema }, { shadowDatabaseUrl, shadowDatabases }) {
    super(config, { schema });
    this.#schema = schema;
    this.#shadowDatabaseUrl = shadowDatabaseUrl;
    this.#shadowDatabases = shadowDatabases;
  }

  async connect() {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (...args) => fixCharColumns(await startTransaction(...args));
    return runScriptsWhole(fixCharColumns(adapter));
  }

  async connectToShadowDb() {
    if (this.#shadowDatabaseUrl) return this.#connectToConfiguredShadowDb();

    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    await withClient(this.config, (client) => client.query(`CREATE DATABASE ${quoteIdent(database)}`));
    this.#shadowDatabases.add(database);

    const shadow = new ShimPgFactory(
      { config: { ...this.config, database }, schema: this.#schema },
      { shadowDatabases: this.#shadowDatabases },
    );
    const adapter = await shadow.connect();
    await adapter.underlyingDriver().query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.#schema)}`);
    // adapter-pg drops the database while its own pool is still connected,
    // which fails and leaves it behind: close the pool first, then force.
    adapter.dispose = async () => {
      await adapter.underlyingDriver().end();
      await dropShadowDatabase(this.config, database);
      this.#shadowDatabases.delete(database);
    };
    return adapter;
  }

  // A user-provided shadow database is reused between runs, so it is emptied
  // first (the native engine resets it the same way).
  async #connectToConfiguredShadowDb() {
    const settings = connectionSettings(this.#shadowDatabaseUrl);
    const shadow = new ShimPgFactory(settings, { shadowDatabases: this.#shadowDatabases });
    const adapter = await shadow.connect();
    const schema = quoteIdent(settings.schema);
    await adapter.underlyingDriver().query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    adapter.dispose = () => adapter.underlyingDriver().end();
    return adapter;
  }
}

async function dropShadowDatabase(config, database) {
  await withClient(config, async (client) => {
    try {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`);
    } catch (error) {
      if (error?.code !== "42601") throw error; // WITH (FORCE) needs PostgreSQL 13+
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
    }
  });
}

// ---------------------------------------------------------------------------
// Wasm engine.

// The panic hook of the wasm build reports the message through this global
// before the trap; the trap itself is only a bare "unreachable" RuntimeError.
let lastPanicMessage = null;
globalThis.PRISMA_WASM_PANIC_REGISTRY = {
  set_message(message) {
    lastPanicMessage = message;
  },
};

// The package's entry point imports the .wasm file as an ES module, which
// Node 20 does not support without a flag, so it is instantiated by hand.
async function loadWasmBindings() {
  const bindingsUrl = import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  const bindings = await import(bindingsUrl);
  const bytes = readFileSync(new URL("schema_engine_bg.wasm", bindingsUrl));
  const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings });
  bindings.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  return bindings;
}

// ---------------------------------------------------------------------------
// JSON-RPC errors in the shape the CLI understands.

class PanicError extends Error {}

const GENERIC_ERROR_MESSAGE = "An error happened. Check the data field for details.";

function toRpcError(error) {
  if (error instanceof PanicError || error instanceof WebAssembly.RuntimeError) {
    const message = error instanceof PanicError ? error.message : (lastPanicMessage ?? error.message);
    return { code: 4466, message, data: { is_panic: true, message, backtrace: error.stack ?? null } };
  }
  const data = { is_panic: false, message: String(error?.message ?? error).trimEnd(), meta: error?.meta ?? null };
  const errorCode = error?.error_code ?? (/^P\d{4}$/.test(error?.code ?? "") ? error.code : undefined);
  if (errorCode) data.error_code = errorCode;
  return { code: 4466, message: GENERIC_ERROR_MESSAGE, data };
}

// ---------------------------------------------------------------------------
// RPC server.

const ENGINE_METHODS = [
  "applyMigrations",
  "createMigration",
  "dbExecute",
  "devDiagnostic",
  "diagnoseMigrationHistory",
  "ensureConnectionValidity",
  "evaluateDataLoss",
  "introspect",
  "introspectSql",
  "markMigrationApplied",
  "markMigrationRolledBack",
  "reset",
  "schemaPush",
];

async function serveRpc(args) {
  const shadowDatabases = new Set();
  let settings = null;
  let enginePromise = null;
  let poisoned = null; // a panic leaves the wasm instance unusable

  // Created on first use so that a connection failure becomes an RPC error
  // with a Prisma code instead of a crashed process.
  function engine() {
    enginePromise ??= (async () => {
      // Unlike the native engine, the wasm one queries the database while it
      // is constructed, so even a schema-to-schema diff needs a reachable one.
      settings = connectionSettings(args.datasource.url);
      const factory = new ShimPgFactory(settings, {
        shadowDatabaseUrl: args.datasource.shadowDatabaseUrl,
        shadowDatabases,
      });
      const { SchemaEngine } = await loadWasmBindings();
      const datamodels = args.datamodels.length
        ? args.datamodels.map((path) => [path, readFileSync(path, "utf8")])
        : undefined;
      try {
        return await SchemaEngine.new(
          { datamodels },
          (line) => process.stderr.write(line.endsWith("\n") ? line : `${line}\n`),
          bindMigrationAwareSqlAdapterFactory(factory),
        );
      } catch (error) {
        enginePromise = null;
        const failure = await checkConnection(settings.config).then(
          () => null,
          (connectionError) => userFacingConnectionError(connectionError, settings.config),
        );
        if (failure?.code) throw Object.assign(new Error(failure.message), { code: failure.code });
        throw error;
      }
    })();
    return enginePromise;
  }

  const write = (message) => process.stdout.write(`${JSON.stringify(message)}\n`);

  // The wasm diff returns its output instead of printing it; the CLI only
  // prints what the engine sends as a `print` request, and acknowledges it.
  const pendingPrints = new Map();
  function print(content) {
    const id = `print-${randomUUID()}`;
    return new Promise((resolve) => {
      pendingPrints.set(id, resolve);
      write({ jsonrpc: "2.0", method: "print", params: { content }, id });
    });
  }

  // The wasm engine can only replay migrations on a shadow database inside
  // devDiagnostic, which caches the result for the later calls. When
  // devDiagnostic ran before there was anything to replay (`migrate dev` on a
  // fresh database applies the history first), those calls fail instead, so
  // build the cache now and try once more.
  const withShadowSchema = (method) => async (params) => {
    const instance = await engine();
    try {
      return await instance[method](params);
    } catch (error) {
      if (!/shadow DB must be provided through an external factory/.test(error?.message)) throw error;
      await instance.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
      return instance[method](params);
    }
  };

  const handlers = {
    evaluateDataLoss: withShadowSchema("evaluateDataLoss"),
    createMigration: withShadowSchema("createMigration"),
    async diff(params) {
      const result = await (await engine()).diff(params);
      if (result.stdout) await print(result.stdout);
      return { exitCode: result.exitCode };
    },
    async getDatabaseVersion(params) {
      return (await engine()).version(params ?? undefined);
    },
    async createDatabase(params) {
      const url = params?.datasource?.tag === "ConnectionString" ? params.datasource.url : args.datasource.url;
      const { config } = connectionSettings(url);
      return { databaseName: await createDatabase(config) };
    },
    async debugPanic() {
      (await engine()).debugPanic();
    },
  };
  for (const method of ENGINE_METHODS) {
    handlers[method] ??= async (params) => (await engine())[method](params);
  }
  handlers.version = handlers.getDatabaseVersion;

  // One request at a time: the wasm engine is a single `&mut self` object and
  // overlapping calls fail with "recursive use of an object".
  let queue = Promise.resolve();
  let current = null;

  async function handle(request) {
    current = request;
    let response;
    try {
      if (poisoned) throw poisoned;
      const handler = handlers[request.method];
      if (!handler) {
        response = {
          jsonrpc: "2.0",
          id: request.id,
          error: { code: -32601, message: `Method not found: ${request.method}` },
        };
      } else {
        const result = await handler(request.params);
        response = { jsonrpc: "2.0", id: request.id, result: result ?? null };
      }
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) poisoned = new PanicError(lastPanicMessage ?? error.message);
      response = { jsonrpc: "2.0", id: request.id, error: toRpcError(poisoned ?? error) };
    }
    if (current === request) {
      current = null;
      write(response);
    }
  }

  // A panic inside a future surfaces as an uncaught RuntimeError, not as a
  // rejection of the pending call. Answer that call with a panic instead of
  // dying silently (the CLI would then exit 0 with no output).
  process.on("uncaughtException", (error) => {
    const message = lastPanicMessage ?? error?.message ?? String(error);
    logLine("ERROR", message, { is_panic: true, backtrace: error?.stack });
    poisoned = new PanicError(message);
    if (!current) process.exit(101);
    const request = current;
    current = null;
    write({ jsonrpc: "2.0", id: request.id, error: toRpcError(poisoned) });
  });

  const input = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  input.on("line", (line) => {
    if (!line.trim()) return;
    let message;
    try {
      message = JSON.parse(line);
    } catch {
      write({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
      return;
    }
    if (message.method === undefined) {
      pendingPrints.get(message.id)?.();
      pendingPrints.delete(message.id);
      return;
    }
    // After a panic the queue may be stuck behind a call that never settles.
    if (poisoned) write({ jsonrpc: "2.0", id: message.id, error: toRpcError(poisoned) });
    else queue = queue.then(() => handle(message));
  });

  // The CLI ends a session by closing stdin. Exit explicitly: the wasm engine
  // leaves timers behind (about 10 s after applyMigrations) and the pools
  // would keep the process alive too.
  input.on("close", async () => {
    // After a panic the in-flight call may never settle; don't wait for it.
    if (!poisoned) await queue;
    for (const database of shadowDatabases) {
      await dropShadowDatabase(settings.config, database).catch((error) =>
        logLine("WARN", `Could not drop shadow database ${database}: ${error.message}`),
      );
    }
    process.exit(0);
  });
}

// ---------------------------------------------------------------------------
// One-shot `cli` commands.

async function runCliCommand(args) {
  // The CLI ignores the first stderr line of a one-shot, so always emit one.
  logLine("INFO", `Starting schema engine CLI (wasm): ${args.cliCommand}`);
  let config = {};
  try {
    ({ config } = connectionSettings(args.datasource.url));
    switch (args.cliCommand) {
      case "can-connect-to-database":
        await checkConnection(config);
        break;
      case "create-database":
        await createDatabase(config);
        break;
      default:
        throw new Error(`Unknown cli command: ${args.cliCommand}`);
    }
  } catch (error) {
    const { code, message } = userFacingConnectionError(error, config);
    logLine("ERROR", message, code ? { error_code: code } : {});
    process.exit(1);
  }
  process.exit(0);
}

// ---------------------------------------------------------------------------

const args = parseArgs(process.argv.slice(2));
if (args.version) {
  const { version } = await loadWasmBindings();
  process.stdout.write(`schema-engine-cli ${version()} (wasm)\n`);
  process.exit(0);
} else if (args.cliCommand) {
  await runCliCommand(args);
} else {
  await serveRpc(args);
}
