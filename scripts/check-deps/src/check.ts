import { isBuiltin } from "node:module";
import { posix } from "node:path";
import { type ImportRef, importsOf } from "./imports";
import {
  dbImportAllowed,
  forbiddenInPure,
  isTestFile,
  leafAllowed,
  leafAllowedInTests,
  leafWorkspace,
  pureWorkspaces,
  type RuleName,
} from "./rules";

/** A workspace of the monorepo: its package name, folder and package.json fields the rules read. */
export interface Workspace {
  /** Package name, e.g. `@parley/core`. */
  readonly name: string;
  /** Folder relative to the repository root, posix separators, e.g. `packages/core`. */
  readonly dir: string;
  /** package.json `exports` (a string, a map of subpaths, or absent). */
  readonly exports?: string | Readonly<Record<string, unknown>>;
  /** Names from dependencies, devDependencies, peerDependencies and optionalDependencies. */
  readonly declared: ReadonlySet<string>;
}

/** A source file to check: repository-relative posix path and its text. */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
}

/** One broken rule: where, which import, which rule, and what to do. */
export interface Violation {
  readonly file: string;
  readonly line: number;
  readonly specifier: string;
  readonly rule: RuleName;
  readonly message: string;
}

/** `@scope/name/sub/path` -> `@scope/name`; `name/sub` -> `name`. */
export function packageNameOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

const isRelative = (specifier: string) =>
  specifier === "." || specifier.startsWith("./") || specifier.startsWith("../");

/** Whether `subpath` (`.` or `./x`) is one of the package's `exports` entries (`*` patterns allowed). */
function exportsAllow(exports: Workspace["exports"], subpath: string): boolean {
  if (exports === undefined) return false;
  if (typeof exports === "string") return subpath === ".";
  const keys = Object.keys(exports);
  // A map of conditions (`{ import, require }`) instead of subpaths exports only ".".
  if (keys.length > 0 && keys.every((key) => !key.startsWith("."))) return subpath === ".";
  return keys.some((key) => {
    if (!key.includes("*")) return key === subpath;
    const [before, after] = key.split("*") as [string, string];
    return subpath.startsWith(before) && subpath.endsWith(after) && subpath.length >= key.length - 1;
  });
}

const matchesForbidden = (name: string) =>
  forbiddenInPure.some((entry) => (entry.endsWith("/") ? name.startsWith(entry) : name === entry));

/** The workspace a repository-relative path belongs to (the deepest folder that contains it). */
function workspaceOf(path: string, workspaces: readonly Workspace[]): Workspace | undefined {
  let best: Workspace | undefined;
  for (const workspace of workspaces) {
    if (path.startsWith(`${workspace.dir}/`) && (!best || workspace.dir.length > best.dir.length))
      best = workspace;
  }
  return best;
}

/** The violations of one import of `file` (in `workspace`). */
function checkImport(
  file: string,
  ref: ImportRef,
  workspace: Workspace,
  workspaces: readonly Workspace[],
): Violation[] {
  const found: Violation[] = [];
  const report = (rule: RuleName, message: string) =>
    found.push({ file, line: ref.line, specifier: ref.specifier, rule, message });
  const { specifier } = ref;
  const test = isTestFile(file);

  if (isRelative(specifier)) {
    const target = posix.normalize(posix.join(posix.dirname(file), specifier));
    const owner = workspaceOf(target, workspaces);
    if (owner && owner.name !== workspace.name)
      report(
        "public-entry",
        `reaches into ${owner.name}'s files by path; import "${owner.name}" (its exports) instead`,
      );
    return found;
  }
  if (specifier.startsWith("node:") || isBuiltin(specifier)) {
    if (workspace.name === leafWorkspace)
      report("contract-leaf", `${leafWorkspace} imports nothing but zod (found ${specifier})`);
    return found;
  }

  const name = packageNameOf(specifier);
  if (pureWorkspaces.has(workspace.name) && matchesForbidden(name))
    report("pure-engine", `${workspace.name} must stay pure: it may not import ${name}`);
  if (workspace.name === leafWorkspace && !(test ? leafAllowedInTests : leafAllowed).has(name))
    report("contract-leaf", `${leafWorkspace} imports nothing but zod (found ${name})`);
  if (workspace.dir.startsWith("apps/") && name === "@parley/db" && !test && !(file in dbImportAllowed))
    report(
      "db-composition-root",
      "apps import @parley/db only in their composition root: go through @parley/core, or list the file with a reason in scripts/check-deps/src/rules.ts",
    );

  const target = workspaces.find((candidate) => candidate.name === name);
  if (target) {
    const subpath = specifier === name ? "." : `.${specifier.slice(name.length)}`;
    if (!exportsAllow(target.exports, subpath))
      report(
        "public-entry",
        `"${subpath}" is not in ${name}'s package.json exports; import its public entry`,
      );
    if (target.name !== workspace.name && !workspace.declared.has(name))
      report(
        "declared-dependency",
        `${workspace.name} imports ${name} but does not declare it in package.json`,
      );
  }
  return found;
}

/**
 * Checks every import of `files` against the repository's dependency rules (see rules.ts) and
 * returns the violations, in file order. Files outside every workspace are ignored.
 *
 * @example
 * const violations = checkImports(workspaces, [{ path: "packages/engine/src/x.ts", text: 'import "ioredis";' }]);
 * // [{ file: "packages/engine/src/x.ts", line: 1, rule: "pure-engine", ... }]
 */
export function checkImports(workspaces: readonly Workspace[], files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const workspace = workspaceOf(file.path, workspaces);
    if (!workspace) continue;
    for (const ref of importsOf(file.text))
      violations.push(...checkImport(file.path, ref, workspace, workspaces));
  }
  return violations;
}

/** One line per violation: `file:line  rule  specifier: message`. */
export function formatViolation(violation: Violation): string {
  return `${violation.file}:${violation.line}  ${violation.rule}  ${violation.specifier}: ${violation.message}`;
}
