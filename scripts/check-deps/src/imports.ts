import ts from "typescript";

/** One module reference in a source file. */
export interface ImportRef {
  /** The module specifier as written (`@parley/db`, `./x`, `node:fs`). */
  readonly specifier: string;
  /** 1-based line of the reference. */
  readonly line: number;
}

/**
 * Every module a source file references, found by TypeScript's own pre-processor
 * (`ts.preProcessFile`, the scanner the compiler uses to find a program's files; not a regex):
 * static imports (type-only ones too, which still couple two modules) and re-exports,
 * `import x = require()`, dynamic `import()`, `require()` calls and `import("x").T` types.
 * Text in strings and comments is not mistaken for an import.
 *
 * @example
 * importsOf('import type { Db } from "@parley/db";'); // [{ specifier: "@parley/db", line: 1 }]
 */
export function importsOf(text: string): ImportRef[] {
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const lineOf = lineFinder(text);
  return importedFiles.map((file) => ({ specifier: file.fileName, line: lineOf(file.pos) }));
}

/** The 1-based line of a character offset (binary search over the offsets where lines start). */
function lineFinder(text: string): (offset: number) => number {
  const starts = [0];
  for (let index = text.indexOf("\n"); index !== -1; index = text.indexOf("\n", index + 1))
    starts.push(index + 1);
  return (offset) => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if ((starts[middle] ?? 0) <= offset) low = middle;
      else high = middle - 1;
    }
    return low + 1;
  };
}
