// The client's IP, which per-IP limits are keyed on. Only what a trusted party wrote counts: the TCP peer
// (stamped by scripts/peer-address.mjs, see PEER_HEADER) or the entries our own proxies appended to
// x-forwarded-for. A client can put anything at the left of that header, so its first entry is never used.
import { env } from "./env";

/**
 * Route handlers never see the socket, and Next fills x-forwarded-for from it only when the client sent
 * none. The standalone server is started with scripts/peer-address.mjs, which overwrites this header with
 * the socket's remote address on every request, so a client-sent value never survives.
 */
export const PEER_HEADER = "x-lyfm-peer";

/** Set by scripts/peer-address.mjs: without it (next dev) PEER_HEADER is not ours and is ignored. */
const PEER_MARK = Symbol.for("lyfm.peer-address");

function isPeerStamped(): boolean {
  return (globalThis as Record<symbol, unknown>)[PEER_MARK] === true;
}

/**
 * `hops` 0: the TCP peer (without the preload: the last x-forwarded-for entry, which Next itself fills
 * from the socket when the client sent none). `hops` N: the Nth x-forwarded-for entry from the right, or
 * the peer when the header has fewer entries (a request that bypassed the proxies). Trimmed and capped:
 * it keys Redis.
 */
export function getClientIp(
  headers: Pick<Headers, "get">,
  hops = env().TRUSTED_PROXY_HOPS,
  hasPeerHeader = isPeerStamped(),
): string {
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
  const peer = hasPeerHeader ? headers.get(PEER_HEADER)?.trim() : forwarded.at(-1);
  const ip = hops > 0 && forwarded.length >= hops ? forwarded[forwarded.length - hops] : peer;
  return ip ? ip.slice(0, 64) : "unknown";
}
