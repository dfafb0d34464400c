#!/usr/bin/env -S npx tsx
/**
 * `npm run check -w @parley/check-deps`: prints every violation of the dependency rules and exits 1
 * when there is one (the test suite does the same check in `npm test`).
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checkImports, formatViolation } from "./check";
import { loadSourceFiles, loadWorkspaces } from "./repository";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const workspaces = loadWorkspaces(root);
const files = loadSourceFiles(root, workspaces);
const violations = checkImports(workspaces, files);
for (const violation of violations) console.log(formatViolation(violation));
console.log(`${files.length} files in ${workspaces.length} workspaces: ${violations.length} violation(s)`);
process.exitCode = violations.length > 0 ? 1 : 0;
