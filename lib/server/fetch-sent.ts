// fetch() that says when its request is really written to the socket. Between the call and the write
// the request waits for event-loop turns (a new connection's connect, other callbacks of a busy
// process): traced in the upstream chaos test at up to 173 ms, more than the budget's margin. A rate
// budget's send log counts a request from when it leaves, so it is told that moment.
import { AsyncLocalStorage } from "node:async_hooks";
import diagnosticsChannel from "node:diagnostics_channel";

type OnSent = () => void;

const current = new AsyncLocalStorage<OnSent>();
const byRequest = new WeakMap<object, OnSent>();
let isListening = false;

/**
 * Node's fetch (undici) publishes a request when it is created, in the caller's async context, and
 * again right before its headers are written; the first links the request to its caller's `onSent`.
 */
function listen(): void {
  if (isListening) return;
  isListening = true;
  diagnosticsChannel.subscribe("undici:request:create", (message) => {
    const onSent = current.getStore();
    const { request } = message as { request?: object };
    if (onSent && request) byRequest.set(request, onSent);
  });
  diagnosticsChannel.subscribe("undici:client:sendHeaders", (message) => {
    const { request } = message as { request?: object };
    if (!request) return;
    byRequest.get(request)?.();
    byRequest.delete(request);
  });
}

/**
 * fetch(url, init), calling `onSent` once: when the request's headers are written, or, if that was
 * never published (a fetch other than Node's), when fetch settles, which is later than the send and so
 * on the safe side for a rate budget.
 */
export async function fetchSent(onSent: OnSent, url: URL | string, init?: RequestInit): Promise<Response> {
  listen();
  let hasFired = false;
  const once = () => {
    if (hasFired) return;
    hasFired = true;
    onSent();
  };
  try {
    return await current.run(once, () => fetch(url, init));
  } finally {
    once();
  }
}
