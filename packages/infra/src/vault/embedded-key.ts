import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { generateKeyringEntry, parseKeyring } from "./keyring";

/** Name of the key file inside the data directory. */
export const EMBEDDED_KEY_FILE = "secret.key";

/** What {@link loadOrCreateEmbeddedKey} found or made. */
export interface EmbeddedKey {
  /** The keyring string, in `PARLEY_SECRET_KEY` format (pass it to child processes as that variable). */
  secretKey: string;
  /** The key file. */
  path: string;
  /** Whether this call generated the key. */
  created: boolean;
}

/**
 * The embedded-mode keyring: reads `<dir>/secret.key`, or generates it (one key, id `embedded`)
 * with permissions 0600 when missing. Creation is atomic (write a temporary file, then hard-link it
 * into place), so processes starting at the same moment all end up with the same key. A key file
 * readable by others is tightened to 0600.
 * @throws VaultError `MALFORMED_KEY` naming the file when its content is not a keyring
 */
export async function loadOrCreateEmbeddedKey(dir: string): Promise<EmbeddedKey> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keyPath = path.join(dir, EMBEDDED_KEY_FILE);
  let created = false;
  if (!(await exists(keyPath))) created = await createKeyFile(keyPath);
  const { mode } = await stat(keyPath);
  if ((mode & 0o077) !== 0) await chmod(keyPath, 0o600);
  const secretKey = (await readFile(keyPath, "utf8")).trim();
  parseKeyring(secretKey, keyPath);
  return { secretKey, path: keyPath, created };
}

/** Returns false when another process created the file first. */
async function createKeyFile(keyPath: string): Promise<boolean> {
  const temporaryPath = `${keyPath}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temporaryPath, "wx", 0o600);
  try {
    await handle.writeFile(`${generateKeyringEntry("embedded")}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporaryPath, keyPath);
    const directory = await open(path.dirname(keyPath), "r");
    await directory.sync().finally(() => directory.close());
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  } finally {
    await unlink(temporaryPath).catch(() => {});
  }
}

async function exists(filePath: string): Promise<boolean> {
  try {
    await stat(filePath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
