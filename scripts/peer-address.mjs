// Preloaded into the standalone Next server (`node --import ./scripts/peer-address.mjs server.js`): route
// handlers cannot see the TCP peer, and Next copies it into x-forwarded-for only when the client sent none.
// Every request gets the socket's remote address on x-lyfm-peer, overwriting whatever the client sent, so
// lib/server/client-ip.ts can trust that header (and only when this mark says the preload ran).
import http from "node:http";

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function emitWithPeer(event, ...args) {
  if (event === "request") args[0].headers["x-lyfm-peer"] = args[0].socket?.remoteAddress ?? "";
  return emit.call(this, event, ...args);
};
globalThis[Symbol.for("lyfm.peer-address")] = true;
