// Shared by the simulator's tests: calling the API the way a client does.
import { SIM_API_KEY } from "./options";
import { type LastfmSimOptions, type LastfmSimulator, startLastfmSimulator } from "./server";

export type ApiResponse = { status: number; headers: Headers; text: string; elapsedMs: number };

/** Start of a UTC year in Unix seconds. */
export function yearStart(year: number): number {
  return Date.UTC(year, 0, 1) / 1000;
}

/** A GET on the API with api_key and format=json unless `params` overrides them (undefined removes one). */
export async function callApi(
  sim: LastfmSimulator,
  params: Record<string, string | number | undefined>,
  init: RequestInit = {},
): Promise<ApiResponse> {
  const url = new URL(sim.apiUrl);
  for (const [name, value] of Object.entries({ api_key: SIM_API_KEY, format: "json", ...params })) {
    if (value !== undefined) url.searchParams.set(name, String(value));
  }
  const started = performance.now();
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, elapsedMs: performance.now() - started };
}

export async function recentTracks(
  sim: LastfmSimulator,
  params: Record<string, string | number | undefined>,
  init: RequestInit = {},
): Promise<ApiResponse> {
  return callApi(sim, { method: "user.getrecenttracks", ...params }, init);
}

// biome-ignore lint/suspicious/noExplicitAny: tests walk arbitrary Last.fm JSON
export type AnyJson = any;

export function parse(response: ApiResponse): AnyJson {
  return JSON.parse(response.text);
}

/** `track` as a list, whatever shape the page used (array, bare object, missing). */
export function tracksOf(body: AnyJson): AnyJson[] {
  const track = body.recenttracks.track;
  return track === undefined ? [] : Array.isArray(track) ? track : [track];
}

/** Runs `fn` against a fresh simulator (no rate limit, no live scrobbling unless asked) and always closes it. */
export async function withSimulator<T>(
  options: Partial<LastfmSimOptions>,
  fn: (sim: LastfmSimulator) => Promise<T>,
): Promise<T> {
  const sim = await startLastfmSimulator({ rateLimitPerSecond: 0, liveScrobbleIntervalMs: 0, ...options });
  try {
    return await fn(sim);
  } finally {
    await sim.close();
  }
}
