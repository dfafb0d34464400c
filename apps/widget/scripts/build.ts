import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { buildWidget } from "../src/server/build";

/** `npm run build`: writes dist/widget.js and prints its raw and gzipped sizes. */
const path = await buildWidget();
const bytes = readFileSync(path);
console.log(`${path}: ${bytes.length} bytes, ${gzipSync(bytes, { level: 9 }).length} bytes gzip`);
