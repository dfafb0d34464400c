#!/usr/bin/env node
// The `parley` command: registers tsx so the TypeScript sources run directly, then dispatches.
import { register } from "tsx/esm/api";

register();
const { main } = await import("../src/main.ts");
process.exitCode = await main(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
});
