import { randomBytes } from "node:crypto";
import { chmod, link, mkdir, open, readFile, stat, unlink } from "node:fs/promises";
import path from "node:path";

/** Name of the embedded database's password file inside the data directory. */
export const DB_PASSWORD_FILE = "db-password";

/**
 * The embedded database's password: `<dataDir>/db-password`, generated (32 random bytes, base64url)
 * with permissions 0600 when missing, so only the account that owns the data directory can connect.
 * Creation is atomic (temporary file hard-linked into place): processes starting together agree.
 * A file readable by others is tightened to 0600.
 * @example
 * const password = await loadOrCreateDbPassword(".parley");
 * await startEmbeddedPostgres({ dataDir: ".parley/pgdata", password });
 */
export async function loadOrCreateDbPassword(dataDir: string): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(dataDir, DB_PASSWORD_FILE);
  if (!(await exists(file))) await createPasswordFile(file);
  const { mode } = await stat(file);
  if ((mode & 0o077) !== 0) await chmod(file, 0o600);
  const password = (await readFile(file, "utf8")).trim();
  if (password.length < 16)
    throw new Error(`${file} holds no usable password (delete it to generate a new one)`);
  return password;
}

async function createPasswordFile(file: string): Promise<void> {
  const temporary = `${file}.${randomBytes(6).toString("hex")}.tmp`;
  const handle = await open(temporary, "wx", 0o600);
  try {
    await handle.writeFile(`${randomBytes(32).toString("base64url")}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    await unlink(temporary).catch(() => {});
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw error;
  }
}
