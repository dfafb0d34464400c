// Preloaded (`node --require`) into the studio's `next start` by `parley start`. Next.js tells route
// handlers nothing about the TCP peer (its X-Forwarded-For is the client's own header when one was
// sent), so this stamps every request with the peer address the socket really has, replacing any
// header of that name the client sent. The studio believes X-Forwarded-* only when that peer is in
// TRUSTED_PROXIES (apps/studio/src/server/http-context.ts).
"use strict";
/** @type {{ createServer: (...args: unknown[]) => unknown }} */
const http = /** @type {any} */ (require("node:http"));

const PEER_HEADER = "x-parley-peer-address";
const createServer = http.createServer;

http.createServer = function createServerWithPeer(...args) {
  const listenerIndex = args.findIndex((arg) => typeof arg === "function");
  if (listenerIndex !== -1) {
    const listener = /** @type {(request: unknown, response: unknown) => unknown} */ (args[listenerIndex]);
    /**
     * @param {import("node:http").IncomingMessage} request
     * @param {import("node:http").ServerResponse} response
     */
    args[listenerIndex] = function stampPeer(request, response) {
      request.headers[PEER_HEADER] = request.socket.remoteAddress ?? "";
      return listener.call(this, request, response);
    };
  }
  return createServer.apply(this, args);
};
process.env.PARLEY_STUDIO_PEER_HEADER = "1";
