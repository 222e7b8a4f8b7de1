// Docker cannot run here, so this proves the image's commands another way: it lays out a directory the way
// the Dockerfile's runtime stage does (its own COPY lines, parsed, from the build it describes), then runs the
// image's ENTRYPOINT + CMD (`web`) and ENTRYPOINT + `worker` in it with the stage's ENV, against a throwaway
// empty database (the web role must migrate it), a Redis prefix, the Last.fm simulator and the test mirror.
// If the Dockerfile's commands, files or pruning drift from what works, this fails.
// Not reproduced: `npm prune --omit=dev` (dev packages stay; the explicit removals are applied) and `USER node`.
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import pg from "pg";
import { ensureBuild } from "@/scripts/dev-services/build";
import { startLastfmSimulator } from "@/scripts/simulators/lastfm/server";
import { createDatabase, deleteRedisPrefix, dropDatabase, TEST_REDIS_URL, uniqueName } from "@/tests/support/databases";
import { ensureTestMirror } from "@/tests/support/mirror";
import { waitFor } from "@/tests/support/stack";

const ROOT = resolve(".");
const WEB_PORT = 4231;
const ADMINLESS_PORT = 4232;
// A well-formed key no log line, page or client bundle may ever contain.
const API_KEY = randomBytes(16).toString("hex");
const ADMIN = { user: "ops", password: `pw-${randomBytes(8).toString("hex")}` };

type Stage = { name: string; lines: string[] };
type Instruction = { keyword: string; args: string };

/** Stages of a Dockerfile, each with its instructions (continuation lines joined, comments dropped). */
function parseDockerfile(text: string): Stage[] {
  const joined = text.replace(/\\\n/g, " ");
  const stages: Stage[] = [];
  for (const raw of joined.split("\n")) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const from = /^FROM\s+\S+(?:\s+AS\s+(\S+))?/i.exec(line);
    if (from) stages.push({ name: from[1] ?? String(stages.length), lines: [] });
    else stages.at(-1)?.lines.push(line);
  }
  return stages;
}

function instructions(stage: Stage): Instruction[] {
  return stage.lines.map((line) => {
    const [keyword, ...rest] = line.split(/\s+/);
    return { keyword: keyword.toUpperCase(), args: rest.join(" ") };
  });
}

const dockerfile = parseDockerfile(readFileSync(join(ROOT, "Dockerfile"), "utf8"));
const runtime = dockerfile.at(-1) as Stage;
const runtimeSteps = instructions(runtime);
const execForm = (keyword: string): string[] => {
  const step = runtimeSteps.findLast((s) => s.keyword === keyword);
  assert.ok(step, `the runtime stage has a ${keyword}`);
  return JSON.parse(step.args);
};
const ENTRYPOINT = execForm("ENTRYPOINT");
const CMD = execForm("CMD");
const WORKDIR = runtimeSteps.findLast((s) => s.keyword === "WORKDIR")?.args ?? "/";
const IMAGE_ENV = Object.fromEntries(
  runtimeSteps
    .filter((s) => s.keyword === "ENV")
    .flatMap((s) => s.args.split(/\s+/).map((pair) => pair.split("=") as [string, string])),
);

/** `rm -rf node_modules/x …` in a stage's RUN lines: what that stage removes. */
function removedIn(stageName: string): string[] {
  const stage = dockerfile.find((s) => s.name === stageName);
  const runs = stage ? instructions(stage).filter((s) => s.keyword === "RUN") : [];
  return runs.flatMap((run) => [...run.args.matchAll(/(?:^|\s)(node_modules\/\S+)/g)].map((m) => m[1]));
}

function cp(args: string[]): void {
  const result = spawnSync("cp", args, { encoding: "utf8" });
  assert.equal(result.status, 0, `cp ${args.join(" ")}: ${result.stderr}`);
}

/** Every runtime COPY, from this checkout's build (hard links: fast, and nothing is written back). */
function layOutImage(image: string): void {
  for (const step of runtimeSteps.filter((s) => s.keyword === "COPY")) {
    const words = step.args.split(/\s+/);
    const stage = words.find((w) => w.startsWith("--from="))?.slice("--from=".length);
    const paths = words.filter((w) => !w.startsWith("--"));
    const destination = resolve(image, paths.pop() as string);
    for (const source of paths) {
      const local = join(ROOT, source.replace(new RegExp(`^${WORKDIR}/?`), ""));
      assert.ok(existsSync(local), `COPY ${source}: ${local} exists after the build`);
      const target = destination;
      if (statSync(local).isDirectory()) {
        // A stage that deletes parts of a folder: copy, delete the same parts, then merge like COPY does.
        const removed = stage ? removedIn(stage).filter((p) => p.startsWith(`${source.split("/").pop()}/`)) : [];
        let from = local;
        if (removed.length > 0) {
          from = join(image, `.stage-${stage}`, source.split("/").pop() as string);
          mkdirSync(dirname(from), { recursive: true });
          cp(["-al", local, from]);
          for (const path of removed) rmSync(join(dirname(from), path), { recursive: true, force: true });
        }
        mkdirSync(target, { recursive: true });
        cp(["-al", "--remove-destination", `${from}/.`, `${target}/`]);
      } else {
        const file = paths.length > 1 || existsSync(target) ? join(target, source.split("/").pop() as string) : target;
        mkdirSync(dirname(file), { recursive: true });
        cp(["-al", "--remove-destination", local, file]);
      }
    }
  }
  rmSync(join(image, ".stage-runtime-modules"), { recursive: true, force: true });
}

type Running = { child: ChildProcess; output: () => string; exit: Promise<number | null> };

function run(image: string, command: string[], env: Record<string, string>): Running {
  const [program, ...args] = command;
  const child: ChildProcess = spawn(program, args, {
    cwd: image,
    env: env as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk));
  const exit = new Promise<number | null>((done) => child.once("exit", (code: number | null) => done(code)));
  return { child, output: () => output, exit };
}

async function stop(running: Running, timeoutMs = 20_000): Promise<number | null> {
  if (running.child.exitCode !== null) return running.child.exitCode;
  running.child.kill("SIGTERM");
  const timer = setTimeout(() => running.child.kill("SIGKILL"), timeoutMs);
  const code = await running.exit;
  clearTimeout(timer);
  return code;
}

async function waitHealthy(port: number, running: Running): Promise<void> {
  await waitFor(
    async () => {
      if (running.child.exitCode !== null) throw new Error(`exited ${running.child.exitCode}: ${running.output()}`);
      return (await fetch(`http://127.0.0.1:${port}/api/health`).catch(() => null))?.ok;
    },
    30_000,
    running.output,
  );
}

const basic = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.password}`).toString("base64")}`;

function sample(text: string, series: string): number {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

async function scrape(): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${WEB_PORT}/api/metrics`, { headers: { authorization: basic } });
  assert.equal(response.status, 200);
  return response.text();
}

let image: string;
let database: string;
let databaseUrl: string;
const prefix = uniqueName("lyfmdock").replaceAll("_", "-");
let sim: Awaited<ReturnType<typeof startLastfmSimulator>>;
let env: Record<string, string>;
let web: Running;
let worker: Running;

before(async () => {
  await ensureBuild();
  image = mkdtempSync(join(tmpdir(), "lyfm-image-"));
  layOutImage(image);
  database = uniqueName("lyfm_docker");
  databaseUrl = await createDatabase(database);
  sim = await startLastfmSimulator({ port: 0, latencyMs: 5, rateLimitPerSecond: 0 });
  env = {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    ...IMAGE_ENV,
    DATABASE_URL: databaseUrl,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    LASTFM_API_KEY: API_KEY,
    LASTFM_API_URL: sim.apiUrl,
    LASTFM_WEB_URL: sim.webUrl,
    LASTFM_RATE_LIMIT: "20",
    MUSICBRAINZ_DATABASE_URL: await ensureTestMirror(),
    ADMIN_USER: ADMIN.user,
    ADMIN_PASSWORD: ADMIN.password,
    PORT: String(WEB_PORT),
    HOSTNAME: "127.0.0.1",
    LOG_LEVEL: "info",
  };
  web = run(image, [...ENTRYPOINT, ...CMD], env);
  worker = run(image, [...ENTRYPOINT, "worker"], env);
  await waitHealthy(WEB_PORT, web);
  await waitFor(async () => worker.output().includes('"msg":"worker ready"'), 20_000, worker.output);
});

after(async () => {
  await Promise.all([web, worker].filter(Boolean).map((p) => stop(p)));
  await sim?.close();
  await deleteRedisPrefix(prefix).catch(() => undefined);
  if (database) await dropDatabase(database).catch(() => undefined);
  if (image) rmSync(image, { recursive: true, force: true });
});

test("the Dockerfile's runtime stage runs `web` by default through the entrypoint script, as a non-root user", () => {
  assert.deepEqual(ENTRYPOINT.slice(-1), ["scripts/docker-entrypoint.sh"]);
  assert.deepEqual(CMD, ["web"]);
  assert.equal(runtimeSteps.findLast((s) => s.keyword === "USER")?.args, "node");
  assert.ok(!runtimeSteps.some((s) => s.keyword === "RUN"), "the runtime stage downloads nothing");
});

test("the only network step of the build is `npm ci` from the lockfile, with dependency install scripts off", () => {
  const runs = dockerfile.flatMap((stage) => instructions(stage).filter((s) => s.keyword === "RUN"));
  for (const { args } of runs) {
    assert.doesNotMatch(args, /\b(curl|wget|apt-get|apk|npx|git|npm (install|i|update))\b/, args);
    if (/\bnpm ci\b/.test(args)) assert.match(args, /--ignore-scripts/);
  }
  assert.ok(runs.some(({ args }) => /\bnpm ci\b/.test(args)));
});

test("docker-compose.yml runs the same image with the entrypoint's roles; the worker starts after web is healthy", () => {
  const compose = readFileSync(join(ROOT, "docker-compose.yml"), "utf8");
  const script = readFileSync(join(ROOT, "scripts/docker-entrypoint.sh"), "utf8");
  for (const role of ["web", "worker"]) {
    assert.match(compose, new RegExp(`command: \\["${role}"\\]`));
    assert.match(script, new RegExp(`^  ${role}\\)$`, "m"));
  }
  assert.match(compose, /worker:[\s\S]*depends_on:\s+web:\s+condition: service_healthy/);
});

test("`web` applied every migration to the empty database before the server answered /api/health", async () => {
  assert.match(web.output(), /"msg":"migrations applied"/);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const { rows } = await client.query(
    "SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL",
  );
  await client.end();
  const migrations = readdirSync(join(ROOT, "prisma/migrations")).filter((name) => /^\d+_/.test(name));
  assert.equal(rows[0].n, migrations.length);
  const health = await fetch(`http://127.0.0.1:${WEB_PORT}/api/health`);
  assert.deepEqual(await health.json(), { db: "ok", redis: "ok" });
});

test("web + worker import a year; /api/metrics moves (imports, Last.fm requests by outcome, coverage, latency)", async () => {
  const before = await scrape();
  const url = `http://127.0.0.1:${WEB_PORT}/api/user/LightLeo/2021`;
  const headers = { "x-forwarded-for": "10.88.0.1" };
  await waitFor(
    async () => (await (await fetch(url, { headers })).json()).status === "complete",
    40_000,
    () => worker.output(),
  );
  const after = await scrape();
  for (const series of [
    'lyfm_imports{status="complete"}',
    'lyfm_lastfm_requests_total{outcome="ok"}',
    'lyfm_enrichment_scrobbles{status="matched"}',
    'lyfm_http_request_duration_seconds_count{method="GET",route="/api/user/[username]/[year]",status="200"}',
  ]) {
    assert.ok(sample(after, series) > sample(before, series), `${series} moved`);
  }
  assert.ok(sample(after, "lyfm_enrichment_coverage_ratio") > 0);
  const page = await fetch(`http://127.0.0.1:${WEB_PORT}/admin`, { headers: { authorization: basic } });
  assert.match(await page.text(), /<td>complete<\/td><td>1<\/td>/);
});

test("without ADMIN_USER/ADMIN_PASSWORD, /admin, /admin/queues and /api/metrics do not exist (404)", async () => {
  const adminless = run(image, [...ENTRYPOINT, ...CMD], {
    ...env,
    ADMIN_USER: "",
    ADMIN_PASSWORD: "",
    PORT: String(ADMINLESS_PORT),
  });
  try {
    await waitHealthy(ADMINLESS_PORT, adminless);
    for (const path of ["/admin", "/admin/queues", "/api/metrics"]) {
      const response = await fetch(`http://127.0.0.1:${ADMINLESS_PORT}${path}`, { headers: { authorization: basic } });
      assert.equal(response.status, 404, path);
    }
  } finally {
    await stop(adminless);
  }
});

test("pages and the client bundle never contain the API key or the admin password", async () => {
  for (const path of ["/", "/user/LightLeo", "/user/LightLeo/2021"]) {
    const html = await (await fetch(`http://127.0.0.1:${WEB_PORT}${path}`)).text();
    assert.ok(!html.includes(API_KEY) && !html.includes(ADMIN.password), path);
  }
  const bundle = spawnSync("grep", ["-rlE", `${API_KEY}|LASTFM_API_KEY|ADMIN_PASSWORD`, join(image, ".next/static")]);
  assert.equal(bundle.status, 1, `grep found a secret in the client bundle: ${bundle.stdout}`);
});

test("SIGTERM stops the worker (exit 0) and the server; every log line is JSON and none holds a secret", async () => {
  assert.equal(await stop(worker), 0);
  await stop(web);
  const output = `${web.output()}\n${worker.output()}`;
  assert.ok(!output.includes(API_KEY), "the API key is not in any log line");
  assert.ok(!output.includes(ADMIN.password), "the admin password is not in any log line");

  // Next's own start-up banner is the only plain text the image prints.
  const banner = /^(▲ Next\.js|- Local:|- Network:|✓ Ready|✓ Starting|✓ Running next\.config)/;
  const entries = output
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !banner.test(line))
    .map((line) => {
      let entry: Record<string, unknown> = {};
      assert.doesNotThrow(() => (entry = JSON.parse(line)), `not a JSON log line: ${line}`);
      return entry;
    });
  for (const entry of entries) assert.ok(entry.level && entry.time && entry.msg, JSON.stringify(entry));

  const request = entries.find((e) => e.msg === "request" && e.path === "/api/user/[username]/[year]");
  assert.equal(request?.service, "web");
  assert.equal(request?.method, "GET");
  assert.equal(request?.username, "lightleo");
  assert.equal(request?.year, 2021);
  assert.equal(typeof request?.ms, "number");
  assert.ok([200, 202].includes(request?.status as number));
  for (const [queue, transition] of [
    ["fetch-scrobbles", "job active"],
    ["fetch-scrobbles", "job completed"],
    ["enrich-albums", "job active"],
    ["enrich-albums", "job completed"],
  ]) {
    const entry = entries.find((e) => e.msg === transition && e.queue === queue);
    assert.equal(entry?.service, "worker", `${queue} ${transition}`);
    assert.equal(entry?.username, "lightleo");
    assert.equal(entry?.year, 2021);
    assert.equal(entry?.jobId, `${queue}-lightleo-2021`);
  }
  assert.ok(entries.some((e) => e.msg === "worker closed"));
});
