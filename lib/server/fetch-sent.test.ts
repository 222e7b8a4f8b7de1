import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { fetchSent } from "./fetch-sent";

test("fetchSent reports the send when the request is written, before the answer comes", async () => {
  let requestAt = 0;
  const server = createServer((_req, res) => {
    requestAt = performance.now();
    // The answer comes well after the request arrived.
    setTimeout(() => res.end("ok"), 300);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const sentAt: number[] = [];
    const response = await fetchSent(() => sentAt.push(performance.now()), url);
    assert.equal(await response.text(), "ok");
    assert.equal(sentAt.length, 1, "reported once");
    assert.ok(sentAt[0] <= requestAt, "reported no later than the server saw the request");
    // Twice over the same connection: each request reports its own send.
    const again: number[] = [];
    await (await fetchSent(() => again.push(performance.now()), url)).text();
    assert.equal(again.length, 1);
    assert.equal(sentAt.length, 1);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

test("fetchSent reports a request that never got an answer once, when it fails", async () => {
  let calls = 0;
  await assert.rejects(fetchSent(() => calls++, "http://127.0.0.1:1/"));
  assert.equal(calls, 1);
});
