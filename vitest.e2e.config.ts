import { defineConfig } from "vitest/config";
import { PARALLEL_E2E } from "./vitest.config.js";

// Generous on purpose: a loaded 2-core machine starts Prometheus, Alertmanager and cold Node
// processes slowly, and no test asserts on speed (docs/testing.md).
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    exclude: [...PARALLEL_E2E, "node_modules/**"],
    testTimeout: 300_000,
    hookTimeout: 240_000,
    pool: "forks",
    globalSetup: ["test/setup/own-temp.ts"],
    // The e2e files each run real Prometheus and probe loops with latency thresholds: one at a time.
    fileParallelism: false,
  },
});
