// Finished years' pages and share images, served from memory by proxy.ts: a shared link opened by
// thousands costs one render per change of the year, not one per view.
//
// Each entry is the exact response the app rendered (through a request to itself), kept with the year's
// version token (./year-version.ts) it was rendered under. Every hit checks the token (one Redis GET), so
// a re-import, a refresh or a late match, which bump it, change the page at once, in every web process.
// Pages keep a fresh CSP nonce per response: the nonce the render was stamped with is replaced by a new
// one (it is 128 random bits that no content of the page can contain), so the policy stays as strict as
// for a dynamic page.
import { randomUUID } from "node:crypto";
import { findFinishedYear } from "./finished-year";
import { readYearVersion } from "./year-version";

type Kind = "page" | "image";
type Entry = { kind: Kind; userId: number; version: string; body: string | Uint8Array; nonce: string | null };
type Target = { kind: Kind; nameKey: string; year: number };

/** About 50 MB at worst (pages are ~100 kB); the least recently used entry goes first. */
const MAX_ENTRIES = 500;
/** The request the cache renders with carries this per-process secret, so the proxy lets it through. */
export const RENDER_HEADER = "x-lyfm-render";
const RENDER_SECRET = randomUUID();
/** Crawlers and CDNs keep a finished year's share image for a day, revalidating by ETag (the version). */
export const IMAGE_CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800";
const PAGE_CACHE_CONTROL = "private, no-cache, no-store, max-age=0, must-revalidate";

const entries = new Map<string, Entry>();
const fills = new Map<string, Promise<Entry | null>>();

const PATH = /^\/user\/([^/]+)\/(\d{4})(?:\/(opengraph-image|twitter-image))?$/;

export function parseCacheablePath(pathname: string): Target | null {
  const match = PATH.exec(pathname);
  if (!match) return null;
  let name: string;
  try {
    name = decodeURIComponent(match[1]);
  } catch {
    return null;
  }
  return { kind: match[3] ? "image" : "page", nameKey: name.toLowerCase(), year: Number(match[2]) };
}

export function isCacheRender(headers: Headers): boolean {
  return headers.get(RENDER_HEADER) === RENDER_SECRET;
}

/** Where this server listens, for rendering to itself (never the request's Host: a client chooses it). */
function selfOrigin(): string {
  const host = process.env.HOSTNAME;
  const isAny = !host || host === "0.0.0.0" || host === "::";
  return `http://${isAny ? "127.0.0.1" : host}:${process.env.PORT ?? 3000}`;
}

async function render(path: string, target: Target): Promise<Entry | null> {
  // The version is read before the data: a change committed meanwhile bumps it, and this entry is never served.
  const userId = await findFinishedYear(target.nameKey, target.year);
  if (userId === null) return null;
  const version = await readYearVersion(userId, target.year);
  const response = await fetch(`${selfOrigin()}${path}`, {
    headers: { [RENDER_HEADER]: RENDER_SECRET, "accept-encoding": "identity" },
    cache: "no-store",
    redirect: "manual",
  });
  if (response.status !== 200) {
    await response.body?.cancel();
    return null;
  }
  const nonce = /'nonce-([^']+)'/.exec(response.headers.get("content-security-policy") ?? "")?.[1] ?? null;
  const body = target.kind === "page" ? await response.text() : new Uint8Array(await response.arrayBuffer());
  return { kind: target.kind, userId, version, body, nonce };
}

async function fillOnce(path: string, target: Target): Promise<Entry | null> {
  let fill = fills.get(path);
  if (!fill) {
    fill = render(path, target).finally(() => fills.delete(path));
    fills.set(path, fill);
  }
  const entry = await fill;
  if (entry) {
    entries.set(path, entry);
    if (entries.size > MAX_ENTRIES) entries.delete(entries.keys().next().value as string);
  }
  return entry;
}

function respond(entry: Entry, request: Request, policy: (nonce: string) => string): Response {
  if (entry.kind === "image") {
    const etag = `"${entry.version}"`;
    const headers = { "Content-Type": "image/png", "Cache-Control": IMAGE_CACHE_CONTROL, ETag: etag };
    if (request.headers.get("if-none-match") === etag) return new Response(null, { status: 304, headers });
    return new Response(entry.body as Uint8Array<ArrayBuffer>, { headers });
  }
  const nonce = Buffer.from(randomUUID()).toString("base64");
  const html = entry.body as string;
  return new Response(entry.nonce ? html.replaceAll(entry.nonce, nonce) : html, {
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Content-Security-Policy": policy(nonce),
      "Cache-Control": PAGE_CACHE_CONTROL,
      Vary: "RSC, Next-Router-State-Tree, Next-Router-Prefetch, Accept-Encoding",
    },
  });
}

/**
 * The cached answer to `request`, or null when it is not a finished year's page or image (or is a client
 * navigation, a query, a HEAD): then the app renders it as usual. `policy` builds the CSP for a nonce.
 */
export async function serveFromCache(request: Request, policy: (nonce: string) => string): Promise<Response | null> {
  const url = new URL(request.url);
  if (request.method !== "GET" || url.search || request.headers.has("rsc") || isCacheRender(request.headers)) {
    return null;
  }
  const target = parseCacheablePath(url.pathname);
  if (!target) return null;
  const cached = entries.get(url.pathname);
  let entry: Entry | null = null;
  if (cached && cached.version === (await readYearVersion(cached.userId, target.year))) {
    entry = cached;
    entries.delete(url.pathname); // re-inserted: the most recently used entries are the last to go
    entries.set(url.pathname, cached);
  } else {
    entries.delete(url.pathname);
    entry = await fillOnce(url.pathname, target);
  }
  return entry ? respond(entry, request, policy) : null;
}
