/**
 * Regenerates the committed Prisma client (packages/db/src/generated/prisma) from prisma/schema.prisma.
 * Usage: npm run generate -w @parley/db
 */
import { relative } from "node:path";
import { generateClient } from "../src/tooling/generate-client";

const outputDir = await generateClient();
console.log(`Generated the Prisma client into ${relative(process.cwd(), outputDir)}`);
