import { readFileSync } from "node:fs";
import { schemaPath } from "./prisma-cli";

/** A model as written in schema.prisma (internal; tests cross-check the generated client against it). */
export interface SchemaModel {
  readonly name: string;
  /** The @@map table name. */
  readonly table: string;
  readonly fields: readonly string[];
}

/** Reads the models of prisma/schema.prisma with a deliberately simple parser (the file is `prisma format`ted). */
export function readSchemaModels(path: string = schemaPath): SchemaModel[] {
  const text = readFileSync(path, "utf8");
  return [...text.matchAll(/^model (\w+) \{\n([\s\S]*?)^\}/gm)].map(([, name, body]) => {
    const lines = (body ?? "").split("\n").map((line) => line.trim());
    const table = /@@map\("([^"]+)"\)/.exec(body ?? "")?.[1];
    if (!name || !table) throw new Error(`schema.prisma: model ${name} has no @@map table name`);
    const fields = lines.filter((line) => /^\w+\s/.test(line)).map((line) => line.split(/\s+/)[0] ?? "");
    return { name, table, fields };
  });
}
