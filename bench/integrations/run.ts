/**
 * Integrations benchmark: `npm run bench:integrations -w @parley/bench` prints ONE JSON object.
 *
 * 1. Overhead of the integration layer per call: the same GET to a local API, (a) straight
 *    through the guarded client with a bearer header, (b) through the integration http port
 *    (integration lookup, OAuth2 client-credentials token from the cache, header merge, URL
 *    confinement, circuit breaker, redaction). Interleaved; p50/p95 of each and of the paired
 *    difference (noisy on a loaded machine), and `layerOnlyMs`: the port over an instant in-memory
 *    client, i.e. the layer's own cost. Target: p95 overhead under 1 ms with a cached token.
 * 2. Token-endpoint calls per 1,000 turns: 1,000 calls spread over BENCH_SIMULATED_HOURS (2) of
 *    simulated time with a token lifetime of BENCH_TOKEN_LIFETIME_S (3600), split across two
 *    "processes" (separate in-process token caches over one shared cache and lock). Target: one
 *    call per token lifetime per integration.
 *
 * BENCH_CALLS (2000), BENCH_DB (auto: Postgres at DATABASE_URL/127.0.0.1 when reachable, else PGlite).
 */

import { mkdtempSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type CoreDeps,
  createIntegration,
  createTenant,
  createUser,
  integrationHttpPort,
  systemContext,
  tokenRequestCounter,
} from "@parley/core";
import { createTestDatabase } from "@parley/db/testing";
import {
  createGuardedHttpClient,
  createInfrastructure,
  createVault,
  generateKeyringEntry,
  parseKeyring,
} from "@parley/infra";

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const TOKEN_LIFETIME_S = Number(process.env.BENCH_TOKEN_LIFETIME_S ?? 3600);
const SIMULATED_HOURS = Number(process.env.BENCH_SIMULATED_HOURS ?? 2);

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
};
const round = (value: number) => Math.round(value * 1000) / 1000;

async function main() {
  let tokenServed = 0;
  const server = createServer((request, response) => {
    if (request.url === "/token") {
      tokenServed += 1;
      request.resume();
      request.on("end", () =>
        response.writeHead(200, { "content-type": "application/json" }).end(
          JSON.stringify({
            access_token: `tok-${tokenServed}-abcdefgh`,
            token_type: "Bearer",
            expires_in: TOKEN_LIFETIME_S,
          }),
        ),
      );
      return;
    }
    response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const testDb = await createTestDatabase({ kind: (process.env.BENCH_DB as "auto" | undefined) ?? "auto" });
  const infra = await createInfrastructure({
    dataDir: mkdtempSync(join(tmpdir(), "parley-bench-int-")),
    withQueue: false,
  });
  const vault = createVault(parseKeyring(generateKeyringEntry("bench")));
  const http = createGuardedHttpClient({ allowLoopback: true });
  let fakeNow = Date.now();
  const deps: CoreDeps = { db: testDb.db, infra, vault, http };
  try {
    const owner = await createUser(deps, { email: `bench-${Date.now()}@example.com`, name: "Bench" });
    const tenant = await createTenant(deps, { name: "Bench", ownerUserId: owner.id });
    const ctx = systemContext(deps, tenant.id);
    const integration = await createIntegration(ctx, {
      name: "bench-api",
      config: { baseUrl: base },
      credentials: {
        type: "oauth2-client-credentials",
        tokenUrl: `${base}/token`,
        clientId: "bench",
        clientSecret: "bench-secret-123456",
      },
    });
    const port = integrationHttpPort(deps, tenant.id, undefined);
    const viaIntegration = {
      method: "GET" as const,
      url: "/api/orders/1",
      headers: {},
      integrationId: integration.id,
    };
    const signal = new AbortController().signal;
    // Warm up both paths (connection pool, JIT, the token).
    for (let i = 0; i < 200; i += 1) {
      await port.request(viaIntegration, { signal });
      await http.request(
        { method: "GET", url: `${base}/api/orders/1`, headers: { authorization: "Bearer tok-1-abcdefgh" } },
        { signal },
      );
    }
    const direct: number[] = [];
    const layered: number[] = [];
    for (let i = 0; i < CALLS; i += 1) {
      let started = performance.now();
      await http.request(
        { method: "GET", url: `${base}/api/orders/1`, headers: { authorization: "Bearer tok-1-abcdefgh" } },
        { signal },
      );
      direct.push(performance.now() - started);
      started = performance.now();
      await port.request(viaIntegration, { signal });
      layered.push(performance.now() - started);
    }
    const overhead = layered.map((value, index) => value - (direct[index] ?? 0));

    // The layer alone: the same port over an instant in-memory client (no socket, no jitter).
    const instant = {
      ...http,
      request: async () => ({
        status: 200,
        headers: { "content-type": "application/json" },
        body: '{"ok":true}',
        url: base,
      }),
    } as typeof http;
    const layerPort = integrationHttpPort({ ...deps, http: instant }, tenant.id, undefined);
    const layerOnly: number[] = [];
    for (let i = 0; i < 200; i += 1) await layerPort.request(viaIntegration, { signal });
    for (let i = 0; i < CALLS; i += 1) {
      const started = performance.now();
      await layerPort.request(viaIntegration, { signal });
      layerOnly.push(performance.now() - started);
    }

    // Token-endpoint calls per 1,000 turns over simulated time, two processes sharing cache and lock.
    const clock = { now: () => fakeNow };
    const processA: CoreDeps = { ...deps, clock };
    const processB: CoreDeps = { ...deps, clock };
    const fresh = await createIntegration(ctx, {
      name: "bench-tokens",
      config: { baseUrl: base },
      credentials: {
        type: "oauth2-client-credentials",
        tokenUrl: `${base}/token`,
        clientId: "bench",
        clientSecret: "bench-secret-123456",
      },
    });
    const before = tokenRequestCounter.count;
    const turns = 1000;
    const stepMs = (SIMULATED_HOURS * 3_600_000) / turns;
    for (let turn = 0; turn < turns; turn += 1) {
      const owner = turn % 2 === 0 ? processA : processB;
      await integrationHttpPort(owner, tenant.id, undefined).request(
        { ...viaIntegration, integrationId: fresh.id },
        { signal },
      );
      fakeNow += stepMs;
    }
    const tokenCalls = tokenRequestCounter.count - before;
    const lifetimes = (SIMULATED_HOURS * 3600) / TOKEN_LIFETIME_S;
    // A token is refreshed a tenth of its lifetime (at most a minute) before it expires.
    const usableS = TOKEN_LIFETIME_S - Math.min(60, TOKEN_LIFETIME_S / 10);
    const expectedTokenCalls = Math.floor((SIMULATED_HOURS * 3600) / usableS) + 1;

    console.log(
      JSON.stringify(
        {
          bench: "integrations",
          calls: CALLS,
          database: testDb.kind ?? "auto",
          directMs: { p50: round(quantile(direct, 0.5)), p95: round(quantile(direct, 0.95)) },
          integrationMs: { p50: round(quantile(layered, 0.5)), p95: round(quantile(layered, 0.95)) },
          pairedDifferenceMs: { p50: round(quantile(overhead, 0.5)), p95: round(quantile(overhead, 0.95)) },
          p95DifferenceMs: round(quantile(layered, 0.95) - quantile(direct, 0.95)),
          layerOnlyMs: { p50: round(quantile(layerOnly, 0.5)), p95: round(quantile(layerOnly, 0.95)) },
          overheadP95TargetMs: 1,
          tokenCallsPer1000Turns: tokenCalls,
          simulatedHours: SIMULATED_HOURS,
          tokenLifetimeS: TOKEN_LIFETIME_S,
          tokenLifetimesCovered: round(lifetimes),
          expectedTokenCalls,
          tokenCallsPerLifetime: round(tokenCalls / lifetimes),
        },
        null,
        2,
      ),
    );
  } finally {
    await infra.close();
    await testDb.cleanup();
    server.close();
  }
}

await main();
