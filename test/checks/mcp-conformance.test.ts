/**
 * The MCP conformance suite's client scenarios that apply to a probe, for both protocol eras
 * (2025-11-25: the initialize lifecycle; 2026-07-28: stateless, per-request `_meta`), run by the
 * suite's own CLI against the compiled probe, offline on 127.0.0.1, with an empty expected-failures
 * list; the probe must also have negotiated the revision the scenario serves. The other client
 * scenarios test what a probe does not do: elicitation, SSE reconnection timing, interactive OAuth
 * flows, request state, or calling the scenario's own tools with designated header parameters.
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

const SCENARIOS: [string, string][] = [
  ["2025-11-25", "initialize"],
  ["2025-11-25", "tools_call"],
  ["2026-07-28", "tools_call"],
  ["2026-07-28", "request-metadata"],
  ["2026-07-28", "http-standard-headers"],
];

describe("MCP conformance, client scenarios of both eras", () => {
  it.each(SCENARIOS)(
    "%s %s passes with no expected failures",
    async (revision, scenario) => {
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
        revision,
        "--expected-failures",
        baseline,
        "--output-dir",
        path.join(dir, `${revision}-${scenario}`),
      ]);
      expect(r.out).toMatch(/Passed: (\d+)\/\1, 0 failed/);
      expect(r.out).toContain("OVERALL: PASSED");
      expect(r.code, r.out).toBe(0);
    },
    180_000,
  );
});
