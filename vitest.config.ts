import { defineConfig } from "vitest/config";

// Timeouts leave room for a loaded 2-core machine (see docs/testing.md): no test asserts on speed,
// and tests doing more work than one CLI run or one small project set their own, larger, limits.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "policies/**/*.test.ts", "infra/**/*.test.ts", "checks/**/*.test.ts", "model/**/*.test.ts", "packages/*/test/**/*.test.ts"],
    exclude: ["test/e2e/**", "node_modules/**"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    globalSetup: ["test/setup/own-temp.ts"],
  },
});
