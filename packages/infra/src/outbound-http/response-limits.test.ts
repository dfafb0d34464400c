import { createServer, type Server, type ServerResponse } from "node:http";
import { type AddressInfo, createServer as createTcpServer, type Server as TcpServer } from "node:net";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGuardedHttpClient, OutboundHttpError } from "./guarded-http-client";

let server: Server;
let base: string;
/** Resolves when the server sees the connection of the named path closed (the client let go). */
const closed = new Map<string, Promise<void>>();
const MiB = 1024 * 1024;

function onClose(path: string, response: ServerResponse) {
  closed.set(path, new Promise((resolve) => response.on("close", () => resolve())));
}

/** Writes `total` bytes in 64 KiB chunks, honouring back-pressure, until done or the client leaves. */
function stream(response: ServerResponse, total: number, chunk = "x") {
  const piece = Buffer.alloc(64 * 1024, chunk);
  let sent = 0;
  const pump = () => {
    while (sent < total && !response.destroyed) {
      sent += piece.length;
      if (!response.write(piece)) return void response.once("drain", pump);
    }
    if (!response.destroyed) response.end();
  };
  pump();
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = request.url ?? "";
    onClose(path, response);
    if (path === "/declared-huge") {
      // Declares 50 MiB; the client must not read any of it.
      response.writeHead(200, { "content-type": "application/json", "content-length": String(50 * MiB) });
      stream(response, 50 * MiB);
    } else if (path === "/chunked-huge") {
      response.writeHead(200, { "content-type": "application/json" });
      stream(response, 50 * MiB);
    } else if (path === "/small") {
      response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    } else if (path === "/document") {
      response.writeHead(200, { "content-type": "application/pdf" });
      stream(response, 3 * MiB);
    } else if (path === "/declared-small") {
      response.writeHead(200, { "content-type": "application/json" }).end('{"answer":"declared"}');
    } else if (path === "/gzip-bomb") {
      // 5 MiB of zeros compress to a few KiB: the declared length is small, the decoded body is not.
      const compressed = gzipSync(Buffer.alloc(5 * MiB));
      response.writeHead(200, {
        "content-type": "application/json",
        "content-encoding": "gzip",
        "content-length": String(compressed.length),
      });
      response.end(compressed);
    } else if (path === "/gzip-reply" || path === "/br-reply") {
      // A provider that compresses its replies: the SDK must see the decoded JSON, as fetch gives it.
      const json = Buffer.from(JSON.stringify({ answer: "compressed".repeat(100) }));
      const gzip = path === "/gzip-reply";
      const body = gzip ? gzipSync(json) : brotliCompressSync(json);
      response.writeHead(200, {
        "content-type": "application/json",
        "content-encoding": gzip ? "gzip" : "br",
        "content-length": String(body.length),
      });
      response.end(body);
    } else if (path === "/echo") {
      let body = "";
      request.on("data", (chunk) => (body += chunk));
      request.on("end", () =>
        response
          .writeHead(201, {
            "content-type": "application/json",
            "x-seen": request.headers["x-api-key"] ?? "",
          })
          .end(JSON.stringify({ method: request.method, body })),
      );
    } else if (path === "/empty") {
      response.writeHead(204).end();
    } else if (path === "/sse-small") {
      response.writeHead(200, { "content-type": "text/event-stream" });
      response.write("data: one\n\n");
      response.end("data: two\n\n");
    } else if (path === "/sse-endless") {
      // A model that never stops talking: events until the client hangs up.
      response.writeHead(200, { "content-type": "text/event-stream" });
      const event = `data: ${JSON.stringify({ delta: "y".repeat(8 * 1024) })}\n\n`;
      const pump = () => {
        while (!response.destroyed) if (!response.write(event)) return void response.once("drain", pump);
      };
      pump();
    } else response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

async function failure(promise: Promise<unknown>): Promise<OutboundHttpError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OutboundHttpError);
  return error as OutboundHttpError;
}

const client = createGuardedHttpClient({
  allowLoopback: true,
  allowedHosts: [],
  maxResponseBytes: MiB,
  maxDownloadBytes: 2 * MiB,
});
const host = new URL("http://127.0.0.1").host;

describe("guarded client: bounded responses", () => {
  it("refuses a declared oversize body before reading it, and closes the connection", async () => {
    const error = await failure(client.request({ method: "GET", url: `${base}/declared-huge` }));
    expect(error.code).toBe("RESPONSE_TOO_LARGE");
    expect(error.message).toMatch(
      new RegExp(
        `^response from ${host}:\\d+ exceeded 1048576 bytes \\(PARLEY_OUTBOUND_MAX_RESPONSE_BYTES\\)$`,
      ),
    );
    await closed.get("/declared-huge");
  });

  it("counts an undeclared (chunked) body and stops at the limit", async () => {
    const error = await failure(client.requestBytes({ method: "GET", url: `${base}/chunked-huge` }));
    expect(error.code).toBe("RESPONSE_TOO_LARGE");
    expect(error.message).toContain("exceeded 1048576 bytes");
    await closed.get("/chunked-huge");
  });

  it("lets a download raise its limit up to the download cap, never beyond", async () => {
    expect((await failure(client.requestBytes({ method: "GET", url: `${base}/document` }))).code).toBe(
      "RESPONSE_TOO_LARGE",
    );
    const clamped = await failure(
      client.requestBytes({ method: "GET", url: `${base}/document` }, { maxResponseBytes: 100 * MiB }),
    );
    expect(clamped.message).toMatch(/exceeded 2097152 bytes \(PARLEY_OUTBOUND_MAX_DOWNLOAD_BYTES\)/);
    const roomy = createGuardedHttpClient({ allowLoopback: true, allowedHosts: [], maxResponseBytes: MiB });
    const document = await roomy.requestBytes(
      { method: "GET", url: `${base}/document` },
      { maxResponseBytes: 4 * MiB },
    );
    expect(document.body.byteLength).toBe(3 * MiB);
    expect((await client.request({ method: "GET", url: `${base}/small` })).body).toBe('{"ok":true}');
  });
});

/** A raw HTTP/1.1 server whose reply declares 11 bytes and then keeps sending (node's server refuses to lie). */
async function lyingServer(): Promise<{ url: string; server: TcpServer }> {
  const tcp = createTcpServer((socket) => {
    socket.once("data", () => {
      socket.write(
        'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\n\r\n{"ok":true}',
      );
      socket.end(Buffer.alloc(5 * MiB, "x"));
    });
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => tcp.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(tcp.address() as AddressInfo).port}/`, server: tcp };
}

describe("guarded fetch: bounded responses (the model SDKs' transport)", () => {
  it("reads an uncompressed reply with a declared length as declared, never past it", async () => {
    const declared = await client.fetch(`${base}/declared-small`);
    expect(await declared.json()).toEqual({ answer: "declared" });
    const lying = await lyingServer();
    try {
      const response = await client.fetch(lying.url);
      // HTTP/1.1 framing ends the body at the declared length: the 5 MiB after it are never the body.
      expect(await response.text()).toBe('{"ok":true}');
    } finally {
      await new Promise<void>((resolve) => lying.server.close(() => resolve()));
    }
  });

  it("decodes gzip and br replies, sends string bodies and headers, and answers bodiless statuses", async () => {
    for (const path of ["/gzip-reply", "/br-reply"]) {
      const response = await client.fetch(`${base}${path}`);
      expect(response.headers.get("content-encoding")).toBeNull();
      expect(await response.json()).toEqual({ answer: "compressed".repeat(100) });
    }
    const posted = await client.fetch(`${base}/echo`, {
      method: "POST",
      headers: new Headers({ "content-type": "application/json", "x-api-key": "k-1" }),
      body: JSON.stringify({ q: 1 }),
    });
    expect(posted.status).toBe(201);
    expect(posted.ok).toBe(true);
    expect(posted.url).toBe(`${base}/echo`);
    expect(posted.headers.get("x-seen")).toBe("k-1");
    expect(await posted.json()).toEqual({ method: "POST", body: '{"q":1}' });
    const empty = await client.fetch(`${base}/empty`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe("");
  });

  it("lets go of the connection when the reader cancels a stream", async () => {
    const endless = await client.fetch(`${base}/sse-endless`);
    const reader = (endless.body as ReadableStream<Uint8Array>).getReader();
    expect((await reader.read()).done).toBe(false);
    await reader.cancel();
    await closed.get("/sse-endless");
  });

  it("still counts a compressed body with a small declared length (it decodes to more)", async () => {
    const response = await client.fetch(`${base}/gzip-bomb`);
    const error = await failure(response.arrayBuffer());
    expect(error.code).toBe("RESPONSE_TOO_LARGE");
  });

  it("rejects a declared oversize reply at the headers", async () => {
    const error = await failure(client.fetch(`${base}/declared-huge`));
    expect(error.code).toBe("RESPONSE_TOO_LARGE");
    expect(error.message).toMatch(/^response from 127\.0\.0\.1:\d+ exceeded 1048576 bytes/);
    await closed.get("/declared-huge");
  });

  it("errors an undeclared oversize body while it is read, and releases the connection", async () => {
    const response = await client.fetch(`${base}/chunked-huge`);
    expect(response.status).toBe(200);
    const error = await failure(response.json());
    expect(error.code).toBe("RESPONSE_TOO_LARGE");
    await closed.get("/chunked-huge");
  });

  it("streams server-sent events under the limit and cuts a stream that goes over", async () => {
    const small = await client.fetch(`${base}/sse-small`);
    expect(small.headers.get("content-type")).toBe("text/event-stream");
    expect(await small.text()).toBe("data: one\n\ndata: two\n\n");

    const endless = await client.fetch(`${base}/sse-endless`);
    const reader = (endless.body as ReadableStream<Uint8Array>).getReader();
    let received = 0;
    const error = await (async () => {
      try {
        for (;;) {
          const chunk = await reader.read();
          if (chunk.done) return undefined;
          received += chunk.value.byteLength;
        }
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(OutboundHttpError);
    expect((error as OutboundHttpError).code).toBe("RESPONSE_TOO_LARGE");
    expect(received).toBeLessThanOrEqual(MiB);
    await closed.get("/sse-endless");
  });
});
