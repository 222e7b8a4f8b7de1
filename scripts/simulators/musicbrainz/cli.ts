// npm run sim:musicbrainz – the ws/2 simulator on a fixed port until SIGINT or SIGTERM.
import { parseArgs } from "node:util";
import { DEFAULT_SEED, SCROBBLED_GENERATED_RELEASES } from "@/scripts/simulators/catalog";
import { startMusicbrainzSimulator } from "./ws-server";

const USAGE = `Usage: npm run sim:musicbrainz -- [options]   (each option also reads the env variable shown)
  --port N                  MB_SIM_PORT            default 3902
  --host HOST               MB_SIM_HOST            default 127.0.0.1
  --rate N                  MB_SIM_RATE            requests/s per client IP, default 1
  --burst N                 MB_SIM_BURST           default 3
  --seed N                  MB_SIM_SEED            default ${DEFAULT_SEED}
  --scale N                 MB_SIM_SCALE           generated releases, default ${SCROBBLED_GENERATED_RELEASES}
  --search-failure-rate X   MB_SIM_FAILURE_RATE    share of searches answered 503, default 0
  --allow-no-user-agent     MB_SIM_ALLOW_NO_UA=1   accept requests without a User-Agent
`;

const { values } = parseArgs({
  options: {
    port: { type: "string" },
    host: { type: "string" },
    rate: { type: "string" },
    burst: { type: "string" },
    seed: { type: "string" },
    scale: { type: "string" },
    "search-failure-rate": { type: "string" },
    "allow-no-user-agent": { type: "boolean" },
    help: { type: "boolean", short: "h" },
  },
});

if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

function numberFrom(flag: string | undefined, env: string | undefined, fallback: number): number {
  const text = flag ?? env;
  if (text === undefined || text === "") return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw new Error(`not a usable number: ${text}\n${USAGE}`);
  return value;
}

const env = process.env;
const simulator = await startMusicbrainzSimulator({
  port: numberFrom(values.port, env.MB_SIM_PORT, 3902),
  host: values.host ?? env.MB_SIM_HOST ?? "127.0.0.1",
  ratePerSecond: numberFrom(values.rate, env.MB_SIM_RATE, 1),
  burst: numberFrom(values.burst, env.MB_SIM_BURST, 3),
  seed: numberFrom(values.seed, env.MB_SIM_SEED, DEFAULT_SEED),
  scale: numberFrom(values.scale, env.MB_SIM_SCALE, SCROBBLED_GENERATED_RELEASES),
  searchFailureRate: numberFrom(values["search-failure-rate"], env.MB_SIM_FAILURE_RATE, 0),
  requireUserAgent: !(values["allow-no-user-agent"] || env.MB_SIM_ALLOW_NO_UA === "1"),
});
process.stdout.write(`MusicBrainz ws/2 simulator listening on ${simulator.url}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    await simulator.close();
    process.exit(0);
  });
}
