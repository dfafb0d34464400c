import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { makePdf } from "@parley/models/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStudioHarness, type StudioCaller, type StudioHarness } from "../test-support/harness";

/**
 * The knowledge page's API through createCaller on a real database: uploads in every format,
 * URL lists fetched over HTTP from a local server, indexing status, duplicates, failures with a
 * readable reason, deletion, and ranked retrieval with sources.
 */
let harness: StudioHarness;
let editor: StudioCaller;
let viewer: StudioCaller;
let tenantId: string;
let botId: string;
let otherBotId: string;
let server: Server;
let origin: string;

const SHIPPING = `# Shipping

## Delivery times
Standard parcels arrive within three working days. Express delivery arrives the next working day
when ordered before noon.

## Returns
You can return any item within thirty days for a full refund.
`;

beforeAll(async () => {
  harness = await createStudioHarness();
  const tenant = await harness.tenant("Knowledge Ltd");
  tenantId = tenant.tenantId;
  const owner = await harness.as(tenant.ownerId, tenantId);
  editor = await harness.as((await harness.member(tenantId, "editor")).userId, tenantId);
  viewer = await harness.as((await harness.member(tenantId, "viewer")).userId, tenantId);
  botId = (await owner.bots.create({ name: "Help desk" })).id;
  otherBotId = (await owner.bots.create({ name: "Other" })).id;
  server = createServer((request, response) => {
    if (request.url === "/warranty.html") {
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      response.end(
        "<html><head><title>Warranty</title></head><body><h1>Warranty</h1><p>Every kettle carries a two year warranty against defects.</p></body></html>",
      );
    } else {
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not here");
    }
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((closed) => server?.close(closed));
  await harness?.cleanup();
});

async function failure(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof TRPCError)) throw error;
    const cause = error.cause as {
      details?: { errors?: { path: string }[] };
      issues?: { path: PropertyKey[] }[];
    };
    const paths =
      cause?.details?.errors?.map((e) => e.path) ?? cause?.issues?.map((i) => i.path.join(".")) ?? [];
    return { code: error.code, message: error.message, paths };
  }
  throw new Error("expected the call to fail");
}

describe("knowledge router", () => {
  it("indexes an uploaded Markdown document and finds its chunks with their source", async () => {
    const { document, duplicate } = await editor.knowledge.upload({
      botId,
      format: "markdown",
      content: SHIPPING,
      fileName: "shipping.md",
    });
    expect(duplicate).toBe(false);
    // Queued, not indexed on the request path: the runtime's knowledge worker indexes it.
    expect(document).toMatchObject({
      title: "shipping",
      source: "markdown",
      status: "pending",
      chunkCount: 0,
    });
    expect((await viewer.knowledge.list({ botId })).map((d) => d.status)).toEqual(["pending"]);
    expect(await harness.indexPendingKnowledge()).toBe(1);

    const listed = await viewer.knowledge.list({ botId });
    expect(listed.map((d) => [d.title, d.status])).toEqual([["Shipping", "ready"]]);
    expect(listed[0]?.chunkCount).toBeGreaterThan(0);

    const hits = await viewer.knowledge.search({ botId, query: "how long does express delivery take" });
    expect(hits[0]).toMatchObject({ documentId: document.id, title: "Shipping" });
    expect(hits[0]?.content).toMatch(/Express delivery/);
    expect(hits[0]?.score).toBeGreaterThan(0);
    // Another bot of the same workspace sees nothing of it.
    expect(await viewer.knowledge.search({ botId: otherBotId, query: "express delivery" })).toEqual([]);

    const again = await editor.knowledge.upload({ botId, format: "markdown", content: SHIPPING });
    expect(again.duplicate).toBe(true);
    expect(await viewer.knowledge.list({ botId })).toHaveLength(1);

    const audit = await harness.testDb.db
      .forTenant(tenantId)
      .auditLogEntry.findMany({ where: { targetType: "knowledge_document" } });
    expect(audit.map((e) => e.action)).toEqual(["knowledge_document.create"]);
    expect(JSON.stringify(audit)).not.toContain("working days");
  });

  it("titles a document by the form, then the document itself, then the file name", async () => {
    const plain = await editor.knowledge.upload({
      botId: otherBotId,
      format: "text",
      content: "Opening hours: nine to five on weekdays.",
      fileName: "opening-hours.txt",
    });
    expect(plain.document.title).toBe("opening-hours");
    const named = await editor.knowledge.upload({
      botId: otherBotId,
      format: "markdown",
      content: "# Holidays\nClosed on public holidays.",
      fileName: "holidays.md",
      title: "Public holidays",
    });
    expect(named.document.title).toBe("Public holidays");
  });

  it("indexes a PDF sent base64-encoded, with page numbers", async () => {
    const pdf = makePdf(
      [["Kettle manual"], ["Descale the kettle every month with citric acid."]],
      "Kettle manual",
    );
    const { document } = await editor.knowledge.upload({
      botId,
      format: "pdf",
      encoding: "base64",
      content: Buffer.from(pdf).toString("base64"),
      fileName: "kettle.pdf",
    });
    expect(document).toMatchObject({ source: "pdf", status: "pending" });
    await harness.indexPendingKnowledge();
    const [hit] = await viewer.knowledge.search({ botId, query: "descale citric acid" });
    expect(hit).toMatchObject({ documentId: document.id, page: 2 });
    expect(
      (await failure(editor.knowledge.upload({ botId, format: "pdf", content: "%PDF-1.4 raw" }))).paths,
    ).toEqual(["encoding"]);
  });

  it("records a document that cannot be indexed as failed, with the reason", async () => {
    await editor.knowledge.upload({
      botId,
      format: "pdf",
      encoding: "base64",
      content: Buffer.from("not a pdf at all").toString("base64"),
      title: "Broken PDF",
    });
    await editor.knowledge.upload({ botId, format: "markdown", content: "   \n  ", title: "Blank" });
    await harness.indexPendingKnowledge();
    const listed = await viewer.knowledge.list({ botId });
    expect(listed.find((d) => d.title === "Blank")).toMatchObject({
      status: "failed",
      error: "the document contains no text",
      chunkCount: 0,
    });
    expect(listed.find((d) => d.title === "Broken PDF")).toMatchObject({ status: "failed" });
    expect(listed.find((d) => d.title === "Broken PDF")?.error).toMatch(/PDF could not be read/);
  });

  it("fetches a URL list over HTTP, reporting each URL's outcome", async () => {
    const results = await editor.knowledge.addUrls({
      botId,
      urls: [`${origin}/warranty.html`, `${origin}/missing.md`],
    });
    // Both are queued; fetching happens in the indexing job, which records each outcome.
    expect(results.map((r) => [r.url, r.ok])).toEqual([
      [`${origin}/warranty.html`, true],
      [`${origin}/missing.md`, true],
    ]);
    await harness.indexPendingKnowledge();
    const urls = (await viewer.knowledge.list({ botId })).filter((d) => d.source === "url");
    expect(urls.find((d) => d.sourceUrl === `${origin}/missing.md`)).toMatchObject({
      status: "failed",
      error: "HTTP 404",
    });
    const warranty = urls.find((d) => d.sourceUrl === `${origin}/warranty.html`);
    expect(warranty).toMatchObject({
      title: "Warranty",
      sourceUrl: `${origin}/warranty.html`,
      status: "ready",
    });
    const [hit] = await viewer.knowledge.search({ botId, query: "kettle warranty years" });
    expect(hit).toMatchObject({ title: "Warranty", sourceUrl: `${origin}/warranty.html` });

    const bad = await failure(editor.knowledge.addUrls({ botId, urls: ["file:///etc/passwd"] }));
    expect(bad).toMatchObject({ code: "BAD_REQUEST", paths: ["urls.0"] });
  });

  it("deletes a document and its chunks; unknown or other bots' documents are not found", async () => {
    const document = (await viewer.knowledge.list({ botId })).find((d) => d.title === "Shipping");
    if (!document) throw new Error("no Shipping document");
    expect(
      (await failure(editor.knowledge.delete({ botId: otherBotId, documentId: document.id }))).code,
    ).toBe("NOT_FOUND");
    await editor.knowledge.delete({ botId, documentId: document.id });
    expect((await viewer.knowledge.list({ botId })).some((d) => d.id === document.id)).toBe(false);
    expect(await viewer.knowledge.search({ botId, query: "express delivery" })).toEqual([]);
    expect((await failure(editor.knowledge.delete({ botId, documentId: document.id }))).code).toBe(
      "NOT_FOUND",
    );
    const deletion = await harness.testDb.db
      .forTenant(tenantId)
      .auditLogEntry.findFirst({ where: { action: "knowledge_document.delete", targetId: document.id } });
    expect(deletion?.before).toMatchObject({ title: "Shipping", source: "markdown" });
  });

  it("refuses an empty search and lets viewers read but not write", async () => {
    expect(await failure(viewer.knowledge.search({ botId, query: "  " }))).toMatchObject({
      code: "BAD_REQUEST",
      paths: ["query"],
    });
    expect((await failure(viewer.knowledge.upload({ botId, format: "text", content: "hello" }))).code).toBe(
      "FORBIDDEN",
    );
  });
});
