/**
 * The MCP conformance suite's client scenarios that apply to a probe (`initialize`, `tools_call`,
 * revision 2025-11-25), run by the suite's own CLI against the compiled probe, offline on
 * 127.0.0.1, with an empty expected-failures list. The installed suite (0.1.x) has no 2026-07-28
 * scenarios yet; the other client scenarios test what a probe does not do (elicitation defaults,
 * SSE reconnection timing, interactive OAuth flows).
 */
import { execFile } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, removeDir, tempDir } from "../helpers/project.js";

const require = createRequire(import.meta.url);
const CLI = path.join(path.dirname(require.resolve("@modelcontextprotocol/conformance/package.json")), "dist/index.js");
const HELPERS = path.join(REPO, "test/helpers");
let dir: string;
beforeAll(async () => {
  dir = await tempDir("tollgate-conformance-");
});
afterAll(async () => {
  await removeDir(dir);
});

function conformance(args: string[]): Promise<{ code: number; out: string }> {
  const node = [
    `--import=${path.join(HELPERS, "bind-localhost.mjs")}`,
    `--import=${path.join(HELPERS, "conformance-node20.mjs")}`,
  ];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...node, CLI, ...args],
      { cwd: dir, env: { PATH: process.env.PATH ?? "", NO_COLOR: "1", HOME: dir }, timeout: 120_000 },
      (e, stdout, stderr) => {
        resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out: stdout + stderr });
      },
    );
  });
}

describe("MCP conformance, client scenarios (2025-11-25)", () => {
  it.each(["initialize", "tools_call"])(
    "%s passes with no expected failures",
    async (scenario) => {
      const baseline = path.join(dir, "expected-failures.yaml");
      await writeFile(baseline, "client: []\n");
      const command = `${process.execPath} ${path.join(HELPERS, "conformance-client.mjs")}`;
      const r = await conformance([
        "client",
        "--command",
        command,
        "--scenario",
        scenario,
        "--spec-version",
        "2025-11-25",
        "--expected-failures",
        baseline,
        "--output-dir",
        path.join(dir, scenario),
      ]);
      expect(r.out).toMatch(/Passed: (\d+)\/\1, 0 failed/);
      expect(r.out).toContain("OVERALL: PASSED");
      expect(r.code, r.out).toBe(0);
    },
    180_000,
  );
});
