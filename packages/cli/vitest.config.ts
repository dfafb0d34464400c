import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Commands import the database driver, Prisma and the engine on first use: slow on a busy 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
