import { PassThrough } from "node:stream";
import type { CommandIo } from "../io";

/** In-memory streams for driving a command in a test, with what it printed. */
export function memoryIo(input = ""): CommandIo & { out(): string; err(): string } {
  const stdin = new PassThrough();
  stdin.end(input);
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const collected = { out: "", err: "" };
  stdout.on("data", (chunk) => {
    collected.out += String(chunk);
  });
  stderr.on("data", (chunk) => {
    collected.err += String(chunk);
  });
  return { stdin, stdout, stderr, out: () => collected.out, err: () => collected.err };
}
