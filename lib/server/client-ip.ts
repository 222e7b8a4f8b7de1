// The client's IP as the proxy in front of us reports it: what per-IP limits are keyed on.

/** The first `x-forwarded-for` entry, else `x-real-ip`, else "unknown". Trimmed and capped: it keys Redis. */
export function getClientIp(headers: Pick<Headers, "get">): string {
  const forwarded = headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  const ip = forwarded || headers.get("x-real-ip")?.trim();
  return ip ? ip.slice(0, 64) : "unknown";
}
