// npm run sim:lastfm – the Last.fm API simulator and website stub as a standalone server.
// Flags win over the matching LASTFM_SIM_* variables; both win over the defaults.
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_OPTIONS, type LastfmSimOptions, parseFaultSpec } from "./options";
import { startLastfmSimulator } from "./server";

const USAGE = `usage: npm run sim:lastfm -- [--port 3901] [--host 127.0.0.1] [--latency MS] [--rate-limit N] [--fault-rate 0..1]
                              [--faults 8:2,11:1,16:1,29:1,html:1,truncated:1,reset:1,slow:1,hang:1,6:1,wrong-user:1] [--seed N]`;

function numberFrom(name: string, text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  const value = Number(text);
  if (!Number.isFinite(value)) throw new Error(`${name} must be a number, got "${text}"`);
  return value;
}

export function parseCliOptions(argv: string[], env: Record<string, string | undefined>): Partial<LastfmSimOptions> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: "string" },
      host: { type: "string" },
      latency: { type: "string" },
      "rate-limit": { type: "string" },
      "fault-rate": { type: "string" },
      faults: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const options: Partial<LastfmSimOptions> = {
    port: numberFrom("--port", values.port ?? env.LASTFM_SIM_PORT) ?? 3901,
    host: values.host ?? DEFAULT_OPTIONS.host,
    latencyMs: numberFrom("--latency", values.latency ?? env.LASTFM_SIM_LATENCY_MS),
    rateLimitPerSecond: numberFrom("--rate-limit", values["rate-limit"] ?? env.LASTFM_SIM_RATE_LIMIT),
    faultRate: numberFrom("--fault-rate", values["fault-rate"] ?? env.LASTFM_SIM_FAULT_RATE),
    seed: numberFrom("--seed", values.seed ?? env.LASTFM_SIM_SEED),
  };
  const faults = values.faults ?? env.LASTFM_SIM_FAULTS;
  if (faults) options.faultWeights = parseFaultSpec(faults);
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

async function main(): Promise<void> {
  const sim = await startLastfmSimulator(parseCliOptions(process.argv.slice(2), process.env));
  const { latencyMs, rateLimitPerSecond, faultRate, seed } = sim.options();
  console.log(
    `Last.fm simulator on ${sim.url} (API ${sim.apiUrl}, seed ${seed}, latency ${latencyMs} ms, rate limit ${rateLimitPerSecond}/s, fault rate ${faultRate})`,
  );
  const stop = () => {
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
