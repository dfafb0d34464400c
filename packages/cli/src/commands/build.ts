import { resolve } from "node:path";
import { ensureBundle } from "../../bin/bundles.js";
import { parseCommandArgs } from "../args";
import { ensureTemplate } from "../database/data-dir-template";
import { type Command, ExitCode } from "../io";
import { ensureStudioBuilt } from "../start/studio-launch";

/**
 * `parley build`: prepares what `parley start` otherwise prepares on first use: the studio's
 * production build, the bundles of the CLI and the runtime, and the embedded database template.
 * Each step is skipped when it is current. Useful before a timed start, in an image build, or in CI.
 */
export const buildCommand: Command = async (argv, io) => {
  const { values } = parseCommandArgs(argv, { "no-studio": { type: "boolean", default: false } });
  const started = performance.now();
  await ensureBundle("cli");
  await ensureBundle("runtime");
  io.stdout.write("Bundles of the CLI and the runtime are current.\n");
  const template = await ensureTemplate();
  io.stdout.write(`Embedded database template: ${template ? resolve(template) : "unavailable"}.\n`);
  if (!values["no-studio"]) {
    const built = await ensureStudioBuilt(io.stdout);
    io.stdout.write(built ? "Studio built.\n" : "Studio build is current.\n");
  }
  io.stdout.write(`Ready to start (${Math.round(performance.now() - started)} ms).\n`);
  return ExitCode.ok;
};
