// An integration-test stack: a migrated database, a Redis prefix, the Last.fm simulator in-process,
// the shared MusicBrainz test mirror, and real worker processes on demand.
import { type ChildProcess, spawn } from "node:child_process";
import { setPriority } from "node:os";
import { type RuntimeOptionsPatch, SIM_API_KEY } from "@/scripts/simulators/lastfm/options";
import { startLastfmSimulator } from "@/scripts/simulators/lastfm/server";
import { createMigratedDatabase, deleteRedisPrefix, dropDatabase, TEST_REDIS_URL, uniqueName } from "./databases";
import { ensureTestMirror } from "./mirror";

type InProcessSimulator = Awaited<ReturnType<typeof startLastfmSimulator>>;
type SimOptions = NonNullable<Parameters<typeof startLastfmSimulator>[0]>;
type SimStats = ReturnType<InProcessSimulator["stats"]>;

/** The Last.fm simulator as tests use it, in this process or in its own. */
export type LastfmSim = {
  apiUrl: string;
  webUrl: string;
  stats: () => Promise<SimStats>;
  resetStats: () => Promise<void>;
  /** Runtime options, plus `faultQueue`: faults for the next requests, in order. */
  configure: (patch: Partial<SimOptions> & Pick<RuntimeOptionsPatch, "faultQueue">) => Promise<void>;
  close: () => Promise<void>;
  /** The live dataset, for a simulator in this process (its truth changes while LiveLiam scrobbles). */
  users?: InProcessSimulator["users"];
};

function inProcess(sim: InProcessSimulator): LastfmSim {
  return {
    apiUrl: sim.apiUrl,
    webUrl: sim.webUrl,
    stats: async () => sim.stats(),
    resetStats: async () => sim.resetStats(),
    configure: async (patch) => void sim.configure(patch),
    close: () => sim.close(),
    users: sim.users,
  };
}

/**
 * The simulator in a process of its own, as Last.fm is: its clock then stamps arrivals as they
 * happen, not when this (busy) test process gets round to them. For rate measurements.
 */
export async function spawnLastfmSimulator(args: string[]): Promise<LastfmSim> {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", "scripts/simulators/lastfm/cli.ts", "--port", "0", ...args],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  // It stands for Last.fm's servers, which do not share our CPU: on a busy 2-core machine a simulator
  // waiting for its turn stamped arrivals up to 260 ms late, and so together (a crowded second the
  // client never sent: 8 by the wire, 9 by the stamps). Where the OS allows it, it goes first.
  try {
    if (child.pid) setPriority(child.pid, -10);
  } catch {
    // Not allowed without the privilege: the simulator then shares the CPU like any process.
  }
  const url = await new Promise<string>((resolve, reject) => {
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
      const found = /on (http:\/\/[^\s]+)/.exec(output);
      if (found) resolve(found[1]);
    });
    child.on("exit", (code) => reject(new Error(`simulator exited ${code}: ${output}`)));
  });
  const call = async (path: string, body?: unknown) => {
    const response = await fetch(
      `${url}${path}`,
      body === undefined
        ? {}
        : { method: "POST", body: JSON.stringify(body), headers: { "Content-Type": "application/json" } },
    );
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json();
  };
  return {
    apiUrl: `${url}/2.0/`,
    webUrl: url,
    stats: () => call("/__stats"),
    resetStats: async () => void (await call("/__reset", {})),
    configure: async (patch) => void (await call("/__config", patch)),
    close: async () => {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}

export type WorkerProcess = {
  child: ChildProcess;
  output: () => string;
  kill: (signal?: NodeJS.Signals) => Promise<void>;
};

export type Stack = {
  env: Record<string, string>;
  lastfm: LastfmSim;
  startWorker: (extraEnv?: Record<string, string>) => Promise<WorkerProcess>;
  /** Worker processes still running. */
  workers: () => WorkerProcess[];
  stop: () => Promise<void>;
};

/**
 * Builds the stack and points this process's environment at it, so lib/ modules imported afterwards
 * (or already imported: env() is parsed on first use) talk to the same database, Redis and simulator.
 */
export async function startStack(
  options: {
    rateLimit?: number;
    lastfm?: Partial<SimOptions>;
    lastfmArgs?: string[];
    /** Reach the mirror another way (through a proxy that can fail, say). */
    mirrorUrl?: (url: string) => string;
    /** Last.fm request timeout: short by default, so hang faults are retried quickly. */
    lastfmTimeoutMs?: number;
  } = {},
): Promise<Stack> {
  const database = await createMigratedDatabase();
  const prefix = uniqueName("lyfmt").replaceAll("_", "-");
  const lastfm = options.lastfmArgs
    ? await spawnLastfmSimulator(options.lastfmArgs)
    : inProcess(await startLastfmSimulator({ latencyMs: 5, rateLimitPerSecond: 0, ...options.lastfm }));
  const mirrorUrl = (options.mirrorUrl ?? ((url: string) => url))(await ensureTestMirror());
  const env: Record<string, string> = {
    NODE_ENV: "test",
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    LASTFM_API_KEY: SIM_API_KEY,
    LASTFM_API_URL: lastfm.apiUrl,
    LASTFM_WEB_URL: lastfm.webUrl,
    LASTFM_RATE_LIMIT: String(options.rateLimit ?? 25),
    LASTFM_TIMEOUT_MS: String(options.lastfmTimeoutMs ?? 2_000),
    MUSICBRAINZ_DATABASE_URL: mirrorUrl,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
  };
  Object.assign(process.env, env);
  const workers: WorkerProcess[] = [];

  const startWorker = async (extraEnv: Record<string, string> = {}): Promise<WorkerProcess> => {
    const child = spawn(process.execPath, ["--import", "tsx", "worker/index.ts"], {
      env: { ...process.env, ...env, ...extraEnv, SERVICE_NAME: "worker", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout?.on("data", (chunk) => (output += chunk));
    child.stderr?.on("data", (chunk) => (output += chunk));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`worker did not start:\n${output}`)), 30_000);
      const check = () => {
        if (output.includes("worker ready")) clearTimeout(timer), resolve();
      };
      child.stdout?.on("data", check);
      child.on("exit", (code) => (clearTimeout(timer), reject(new Error(`worker exited ${code}:\n${output}`))));
    });
    const handle: WorkerProcess = {
      child,
      output: () => output,
      kill: async (signal = "SIGTERM") => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once("exit", resolve));
        child.kill(signal);
        await exited;
      },
    };
    workers.push(handle);
    return handle;
  };

  return {
    env,
    lastfm,
    startWorker,
    workers: () => workers.filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null),
    stop: async () => {
      await Promise.all(workers.map((worker) => worker.kill("SIGKILL")));
      const { closeQueues } = await import("@/lib/jobs");
      const { closeProgress } = await import("@/lib/imports/progress");
      const { disconnectRedis } = await import("@/lib/server/redis");
      const { disconnectDb } = await import("@/lib/server/db");
      const { closeMusicbrainz } = await import("@/lib/musicbrainz/sources");
      await closeQueues();
      await closeProgress();
      await closeMusicbrainz();
      await disconnectRedis();
      await disconnectDb();
      await lastfm.close();
      await deleteRedisPrefix(prefix);
      await dropDatabase(database.name);
    },
  };
}

/** Polls `check` until it returns a value, or fails after `timeoutMs` with `describe()`'s text. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | null | false>,
  timeoutMs: number,
  explain: () => Promise<string> | string = () => "",
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${await explain()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
