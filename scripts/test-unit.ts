// `npm run test:unit`: every *.test.ts under lib/ worker/ scripts/ tests/. Most files run two at a time:
// they spend their time waiting on simulated latency, timers and other processes (a sequential run
// used 5 of its 10 minutes' CPU). The files that measure request rates against the wall clock run
// afterwards, alone, so another file's CPU cannot stretch their seconds.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

/** Rates and pacing measured in real time: busiest second, throughput, one request a second. */
const PACED = new Set([
  "tests/integration/budget.test.ts",
  "tests/integration/budget-order.test.ts",
  "tests/integration/rate-budget.test.ts",
  "tests/integration/musicbrainz-sources.test.ts",
]);
const CONCURRENCY = Number(process.env.TEST_CONCURRENCY ?? 2);

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : testFiles(path);
    return entry.name.endsWith(".test.ts") ? [path] : [];
  });
}

function run(files: string[], concurrency: number): boolean {
  if (files.length === 0) return true;
  const args = ["--import", "tsx", "--test", `--test-concurrency=${concurrency}`, "--test-reporter=spec", ...files];
  return spawnSync(process.execPath, args, { stdio: "inherit" }).status === 0;
}

const files = ["lib", "worker", "scripts", "tests"].flatMap(testFiles).sort();
const isParallelOk = run(
  files.filter((file) => !PACED.has(file)),
  CONCURRENCY,
);
const isPacedOk = run(
  files.filter((file) => PACED.has(file)),
  1,
);
process.exit(isParallelOk && isPacedOk ? 0 : 1);
