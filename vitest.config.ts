import { defineConfig } from "vitest/config";

/**
 * End-to-end files that share no engine (no Prometheus, no probe loop with latency thresholds):
 * they run in the unit suite, beside the others, instead of one at a time in the e2e suite.
 */
export const PARALLEL_E2E = ["test/e2e/adopt.test.ts", "test/e2e/pr-mode.test.ts", "test/e2e/webhooks-restart.test.ts"];

// Timeouts leave room for a loaded 2-core machine (see docs/testing.md): no test asserts on speed,
// and tests doing more work than one CLI run or one small project set their own, larger, limits.
// Most of a test's time is spent waiting on the processes it starts, so three files run at a time
// (vitest's default on 2 cores is one).
export default defineConfig({
  test: {
    include: [
      ...PARALLEL_E2E,
      "test/**/*.test.ts",
      "policies/**/*.test.ts",
      "infra/**/*.test.ts",
      "checks/**/*.test.ts",
      "model/**/*.test.ts",
      "packages/*/test/**/*.test.ts",
    ],
    // The engine-sharing e2e files: vitest.e2e.config.ts.
    exclude: [
      `test/e2e/!(${PARALLEL_E2E.map((f) => f.slice("test/e2e/".length, -".test.ts".length)).join("|")}).test.ts`,
      "node_modules/**",
    ],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: "forks",
    maxWorkers: 3,
    globalSetup: ["test/setup/own-temp.ts"],
  },
});
