// npm run sim:lastfm: flags, environment variables, the one printed line and a clean stop.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { test } from "node:test";
import { parseCliOptions } from "./cli";
import { SIM_API_KEY } from "./options";

test("flags win over LASTFM_SIM_* variables, which win over the defaults", () => {
  const env = {
    LASTFM_SIM_PORT: "4000",
    LASTFM_SIM_LATENCY_MS: "50",
    LASTFM_SIM_RATE_LIMIT: "3",
    LASTFM_SIM_FAULT_RATE: "0.1",
    LASTFM_SIM_FAULTS: "8:2,11:1",
    LASTFM_SIM_SEED: "99",
  };

  assert.deepEqual(parseCliOptions(["--port", "4001", "--faults", "hang:1,6:3", "--latency", "0"], env), {
    port: 4001,
    host: "127.0.0.1",
    latencyMs: 0,
    rateLimitPerSecond: 3,
    faultRate: 0.1,
    faultWeights: { hang: 1, "user-not-found": 3 },
    seed: 99,
  });
  assert.deepEqual(parseCliOptions([], { LASTFM_SIM_FAULTS: "8:2,11:1" }).faultWeights, {
    "error8-500": 1,
    "error8-503": 1,
    error11: 1,
  });
  assert.equal(parseCliOptions([], {}).port, 3901);
  assert.throws(() => parseCliOptions(["--latency", "soon"], {}), /--latency must be a number/);
  assert.throws(() => parseCliOptions(["--faults", "9:1"], {}), /unknown fault "9"/);
});

test("the CLI prints one line with its URL, serves the API and exits 0 on SIGTERM", async () => {
  const cli = fileURLToPath(new URL("./cli.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", "tsx", cli, "--port", "0", "--seed", "1973"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr.on("data", (chunk) => (output += chunk));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no output: ${output}`)), 15_000);
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (output.includes("\n")) clearTimeout(timer), resolve(output.trim());
    });
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", resolve));

  const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1];
  assert.ok(url, line);
  const response = await fetch(`${url}/2.0/?method=user.getinfo&user=LightLeo&api_key=${SIM_API_KEY}&format=json`);
  assert.equal(response.status, 200);
  child.kill("SIGTERM");

  assert.equal(await exited, 0);
  assert.equal(output.trim().split("\n").length, 1);
});
