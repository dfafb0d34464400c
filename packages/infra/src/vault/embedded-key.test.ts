import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EMBEDDED_KEY_FILE, loadOrCreateEmbeddedKey } from "./embedded-key";
import { parseKeyring } from "./keyring";
import { createVault } from "./secret-vault";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "parley-key-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("loadOrCreateEmbeddedKey", () => {
  it("creates a 0600 key file once and returns the same key afterwards", async () => {
    const dataDir = path.join(dir, ".parley");
    const first = await loadOrCreateEmbeddedKey(dataDir);
    expect(first.created).toBe(true);
    expect(first.path).toBe(path.join(dataDir, EMBEDDED_KEY_FILE));
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);
    expect(parseKeyring(first.secretKey).current.id).toBe("embedded");

    const second = await loadOrCreateEmbeddedKey(dataDir);
    expect(second).toEqual({ ...first, created: false });
    const ciphertext = createVault(parseKeyring(first.secretKey)).encrypt("token", "row");
    expect(createVault(parseKeyring(second.secretKey)).decrypt(ciphertext, "row")).toBe("token");
  });

  it("gives processes that start together the same key", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => loadOrCreateEmbeddedKey(dir)));
    expect(new Set(results.map((r) => r.secretKey)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
  });

  it("tightens a key file that others can read", async () => {
    const { path: keyPath } = await loadOrCreateEmbeddedKey(dir);
    await chmod(keyPath, 0o644);
    await loadOrCreateEmbeddedKey(dir);
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
  });

  it("names the file when its content is not a key", async () => {
    await writeFile(path.join(dir, EMBEDDED_KEY_FILE), "not a key\n", { mode: 0o600 });
    await expect(loadOrCreateEmbeddedKey(dir)).rejects.toThrow(
      `${path.join(dir, EMBEDDED_KEY_FILE)} entry 1 of 1`,
    );
    expect(await readFile(path.join(dir, EMBEDDED_KEY_FILE), "utf8")).toBe("not a key\n");
  });
});
