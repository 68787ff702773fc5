/**
 * Golden files: compared byte for byte. `npm run golden` (TOLLGATE_UPDATE_GOLDEN=1) rewrites them
 * instead — only after an intended output change, and the diff is reviewed before committing.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect } from "vitest";
import { REPO } from "./project.js";

export function expectGolden(actual: string, name: string): void {
  const file = path.join(REPO, "test/golden", name);
  if (process.env.TOLLGATE_UPDATE_GOLDEN === "1") {
    writeFileSync(file, actual);
    return;
  }
  expect(
    actual,
    `differs from test/golden/${name}; if the change is intended, run \`npm run golden\` and review the diff`,
  ).toBe(readFileSync(file, "utf8"));
}
