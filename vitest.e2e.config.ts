import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/e2e/**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 60_000,
    pool: "forks",
    // The e2e files each run real Prometheus and probe loops with latency thresholds: one at a time.
    fileParallelism: false,
  },
});
