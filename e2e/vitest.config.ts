import { defineConfig } from "vitest/config";

/** Browser tests: one file at a time (2 cores), generous timeouts for Chromium start-up. */
export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    fileParallelism: false,
  },
});
