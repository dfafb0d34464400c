import { type FileHandle, mkdir, open, readFile, rename } from "node:fs/promises";
import path from "node:path";
import { InfraError } from "../../internal/infra-error";
import { type JournalRecord, journalRecordSchema, type Snapshot, snapshotSchema } from "./journal-records";

/** File names inside the queue directory. */
export const SNAPSHOT_FILE = "snapshot.json";
export const JOURNAL_FILE = "journal.log";

/** What is on disk when a queue opens. */
export interface QueueFiles {
  snapshot: Snapshot | undefined;
  /** Journal records newer than the snapshot, in order. */
  records: JournalRecord[];
}

/**
 * Reads the snapshot and the journal (internal). A torn last journal line (the process died while
 * appending) is dropped: it was never acknowledged. Anything else unreadable is an error that names
 * the file and line.
 * @throws InfraError `QUEUE_DATA_CORRUPT`
 */
export async function readQueueFiles(dir: string): Promise<QueueFiles> {
  const snapshotPath = path.join(dir, SNAPSHOT_FILE);
  const snapshotText = await readIfExists(snapshotPath);
  let snapshot: Snapshot | undefined;
  if (snapshotText !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(snapshotText);
    } catch (error) {
      throw corrupt(snapshotPath, `it is not valid JSON (${(error as Error).message})`);
    }
    const parsed = snapshotSchema.safeParse(json);
    if (!parsed.success) throw corrupt(snapshotPath, `unexpected content at ${describeIssue(parsed.error)}`);
    snapshot = parsed.data;
  }

  const journalPath = path.join(dir, JOURNAL_FILE);
  const lines = ((await readIfExists(journalPath)) ?? "").split("\n");
  const records: JournalRecord[] = [];
  const lastLine = lines.findLastIndex((line) => line.trim() !== "");
  for (let index = 0; index <= lastLine; index += 1) {
    const line = lines[index]!;
    if (line.trim() === "") continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (index === lastLine) break;
      throw corrupt(journalPath, `line ${index + 1} is not valid JSON`);
    }
    const parsed = journalRecordSchema.safeParse(json);
    if (!parsed.success)
      throw corrupt(journalPath, `line ${index + 1}: unexpected ${describeIssue(parsed.error)}`);
    if (parsed.data.s > (snapshot?.seq ?? -1)) records.push(parsed.data);
  }
  return { snapshot, records };
}

/**
 * Replaces the snapshot atomically: write a temporary file, fsync, rename over the old one, fsync
 * the directory (internal).
 */
export async function writeSnapshot(dir: string, snapshot: Snapshot): Promise<void> {
  const finalPath = path.join(dir, SNAPSHOT_FILE);
  const temporaryPath = `${finalPath}.tmp`;
  const handle = await open(temporaryPath, "w", 0o600);
  try {
    await handle.writeFile(JSON.stringify(snapshot));
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temporaryPath, finalPath);
  await fsyncDirectory(dir);
}

/** Opens the journal for appending, creating the directory and file as needed (internal). */
export async function openJournal(dir: string): Promise<FileHandle> {
  await mkdir(dir, { recursive: true });
  const handle = await open(path.join(dir, JOURNAL_FILE), "a", 0o600);
  await fsyncDirectory(dir);
  return handle;
}

/** Makes a rename or file creation in `dir` durable. */
async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r");
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function readIfExists(filePath: string): Promise<string | undefined> {
  try {
    return await readFile(filePath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function describeIssue(error: { issues: { path: PropertyKey[]; message: string }[] }): string {
  const issue = error.issues[0]!;
  return `${issue.path.map(String).join(".") || "top level"} (${issue.message})`;
}

function corrupt(filePath: string, problem: string): InfraError {
  return new InfraError(
    "QUEUE_DATA_CORRUPT",
    `the embedded job queue file ${filePath} is damaged: ${problem}. ` +
      `Restore it from a backup, or move it away to start with an empty queue (its scheduled jobs are then lost).`,
  );
}
