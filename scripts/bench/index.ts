// npm run bench [-- section …] – speed goals as ratios measured in one run. Sections: import, enrich, match, web (storage, history, rush, lookups).
// Each section runs in a process of its own: each builds its own databases and configuration.
import { spawnSync } from "node:child_process";
import { benchEnrich } from "./enrich";
import { benchHistory } from "./history";
import { benchImport, benchStorageAlone } from "./import";
import { benchLookups } from "./lookups";
import { benchMatch } from "./match";
import { benchRush } from "./rush";
import { benchWeb } from "./web";

const SECTIONS: Record<string, () => Promise<Record<string, number | string>>> = {
  import: benchImport,
  enrich: benchEnrich,
  match: benchMatch,
  web: benchWeb,
  /** Imports' pace while a crowd of IPs looks up unknown names. */
  lookups: benchLookups,
  /** "Chart every year": Last.fm requests and time per year, and reading a whole history. */
  history: benchHistory,
  /** The storage part of "import" alone. */
  storage: benchStorageAlone,
  /** A year-end rush, the previous design against the current one (a few minutes; not in the default run). */
  rush: benchRush,
};

async function runSection(name: string): Promise<void> {
  const section = SECTIONS[name];
  if (!section) throw new Error(`unknown section "${name}" (known: ${Object.keys(SECTIONS).join(", ")})`);
  const started = performance.now();
  const results = await section();
  for (const [key, value] of Object.entries(results)) console.log(`${key.padEnd(40)} ${value}`);
  console.log(`(${name} took ${Math.round((performance.now() - started) / 1000)} s)`);
}

async function main(): Promise<void> {
  const only = process.env.BENCH_SECTION;
  if (only) return runSection(only);
  const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith("-"));
  for (const name of wanted.length ? wanted : ["import", "enrich", "match", "web"]) {
    console.log(`\n== ${name}`);
    const child = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench/index.ts"], {
      stdio: "inherit",
      env: { ...process.env, BENCH_SECTION: name, LOG_LEVEL: "warn" },
    });
    if (child.status !== 0) throw new Error(`section ${name} failed`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
