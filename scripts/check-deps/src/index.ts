/**
 * Public entry of @parley/check-deps: the repository's dependency rules (rules.ts), a checker that
 * applies them to source files (check.ts, imports found by TypeScript's pre-processor) and loaders for the
 * real repository (repository.ts). `npm test` runs its tests, which fail on any violation.
 */
export {
  checkImports,
  formatViolation,
  packageNameOf,
  type SourceFile,
  type Violation,
  type Workspace,
} from "./check";
export { type ImportRef, importsOf } from "./imports";
export { loadSourceFiles, loadWorkspaces } from "./repository";
export { dbImportAllowed, isTestFile, type RuleName, ruleDescriptions } from "./rules";
