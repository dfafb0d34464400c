import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type FlowTemplate, templatesFromExamples } from "../../designer/core/templates";

let cached: { dir: string; templates: FlowTemplate[] } | undefined;

/** The starter templates: the example flows shipped in `dir` (examples/flows), read once. */
export function loadTemplates(dir: string): FlowTemplate[] {
  if (cached?.dir === dir) return cached.templates;
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((file) => file.endsWith(".json"));
  } catch {
    files = [];
  }
  const templates = templatesFromExamples(
    files.map((file) => ({ file, json: JSON.parse(readFileSync(join(dir, file), "utf8")) as unknown })),
  );
  cached = { dir, templates };
  return templates;
}
