import type { Database } from "@parley/db";
import type { SecretVault } from "@parley/infra";
import { describe, expect, it } from "vitest";
import { databaseConfigSource } from "./database-config-source";

/** A tenant database whose reads the test counts, and can hold or fail. */
function fakeDb() {
  const state = { reads: 0, fail: false, gate: undefined as Promise<void> | undefined, provider: "a" };
  const read = async <T>(value: () => T): Promise<T> => {
    await state.gate;
    if (state.fail) throw new Error("database down");
    return value();
  };
  const client = {
    tenant: {
      findFirst: () => {
        state.reads += 1;
        return read(() => ({ settings: {} }));
      },
    },
    modelProvider: {
      // The name as the read starts (a held read answers what was there when it was made).
      findMany: () => {
        const name = state.provider;
        return read(() => [{ id: "p", name, kind: "offline", baseUrl: null, config: {}, enabled: true }]);
      },
    },
    modelRoute: { findMany: () => read(() => []) },
    modelPrice: { findMany: () => read(() => []) },
    bot: { findMany: () => read(() => []) },
  };
  const db = { forTenant: () => client } as unknown as Pick<Database, "forTenant">;
  return { db, state };
}

const vault = {} as SecretVault;
const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("databaseConfigSource", () => {
  it("answers from the cache, reloads in the background from half the TTL, and never serves an expired entry", async () => {
    const { db, state } = fakeDb();
    let clock = 0;
    const source = databaseConfigSource({ db, vault, cacheTtlMs: 1_000, now: () => clock });
    expect((await source.load("t")).providers[0]?.name).toBe("a");
    expect(state.reads).toBe(1);
    clock = 400;
    await source.load("t");
    expect(state.reads).toBe(1);

    // Past half the TTL: the cached entry answers at once while ONE reload runs.
    state.provider = "b";
    let release!: () => void;
    state.gate = new Promise((resolve) => {
      release = resolve;
    });
    clock = 600;
    const during = await Promise.all([source.load("t"), source.load("t"), source.load("t")]);
    expect(during.map((config) => config.providers[0]?.name)).toEqual(["a", "a", "a"]);
    expect(state.reads).toBe(2);
    release();
    state.gate = undefined;
    await flush();
    expect((await source.load("t")).providers[0]?.name).toBe("b");
    // The reloaded entry is dated from its read (600): fresh until 1,600, refreshed again from 1,100.
    clock = 1_000;
    await source.load("t");
    expect(state.reads).toBe(2);

    // Nobody asked for a whole TTL: the expired entry is not served, the call waits for a load.
    state.provider = "c";
    clock = 5_000;
    expect((await source.load("t")).providers[0]?.name).toBe("c");
    expect(state.reads).toBe(3);
  });

  it("keeps the entry when a background reload fails, and reports the error once it expired", async () => {
    const { db, state } = fakeDb();
    let clock = 0;
    const source = databaseConfigSource({ db, vault, cacheTtlMs: 1_000, now: () => clock });
    await source.load("t");
    state.fail = true;
    clock = 600;
    expect((await source.load("t")).providers[0]?.name).toBe("a");
    await flush();
    expect((await source.load("t")).providers[0]?.name).toBe("a");
    clock = 1_000;
    await expect(source.load("t")).rejects.toThrow("database down");
    state.fail = false;
    expect((await source.load("t")).providers[0]?.name).toBe("a");
  });

  it("drops a reload that started before an invalidation", async () => {
    const { db, state } = fakeDb();
    let clock = 0;
    const source = databaseConfigSource({ db, vault, cacheTtlMs: 1_000, now: () => clock });
    await source.load("t");
    let release!: () => void;
    state.gate = new Promise((resolve) => {
      release = resolve;
    });
    clock = 600;
    await source.load("t"); // starts a background reload (held), reading provider "a"
    source.invalidate("t");
    state.provider = "edited";
    state.gate = undefined;
    expect((await source.load("t")).providers[0]?.name).toBe("edited");
    release();
    await flush();
    expect((await source.load("t")).providers[0]?.name).toBe("edited");
  });
});
