// `npm run build`: the standalone Next server with its static assets in place.
import { copyStandaloneAssets } from "@/scripts/dev-services/build";
import { spawnSync } from "node:child_process";

const result = spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], {
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
if (result.status !== 0) process.exit(result.status ?? 1);
copyStandaloneAssets();
