/**
 * `--state` reads are bounded: a directory, a FIFO (which would block a plain read forever) or a
 * file over the size cap is a one-line usage error (exit 2), before any probe is sent.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readFile, truncate, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { STATE_MAX_BYTES } from "../../checks/probe/state.js";
import { removeDir, runCli, writeProject } from "../helpers/project.js";

const ENVS = { local: { deployed: true }, production: { production: true, deployed: false } };
let root: string;
beforeAll(async () => {
  // A reserved name: the probe itself never sends traffic; only the state handling is under test.
  const services = {
    api: { kind: "http-api", owner: "t", tier: "high", endpoints: { local: { url: "http://api.example/health" } } },
  };
  root = await writeProject({ "manifests/org.yaml": stringify({ environments: ENVS, services }) });
});
afterAll(() => removeDir(root));

const probe = (state: string) =>
  runCli(["probe", "--root", root, "--env", "local", "--format", "json", "--state", state], { timeoutMs: 30_000 });

function expectOneLineUsageError(r: { code: number; stdout: string; stderr: string }, what: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe("");
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines[0]).toMatch(what);
  expect(lines.filter((l) => !l.startsWith("  hint:"))).toHaveLength(1);
  expect(r.stderr).not.toContain("internal error");
}

describe("--state read side", () => {
  it("a directory is refused", async () => {
    const dir = path.join(root, "state-dir");
    await mkdir(dir);
    expectOneLineUsageError(
      await probe(dir),
      /^<command line>:1:1 invalid-option --state: state file .*state-dir is a directory$/,
    );
  });

  it("a FIFO is refused without blocking", async () => {
    const fifo = path.join(root, "state.fifo");
    execFileSync("mkfifo", [fifo]);
    // Today's readFile blocks on the FIFO until the runner's kill: code -1, not 2.
    expectOneLineUsageError(
      await probe(fifo),
      /^<command line>:1:1 invalid-option --state: state file .*state\.fifo is not a regular file/,
    );
  });

  it("a file over the cap is refused (sparse: no disk used)", async () => {
    const huge = path.join(root, "huge.json");
    await writeFile(huge, "");
    await truncate(huge, STATE_MAX_BYTES + 1);
    expectOneLineUsageError(
      await probe(huge),
      /^<command line>:1:1 invalid-option --state: state file .*huge\.json is larger than 67108864 bytes$/,
    );
  });

  it("a missing file still starts fresh and is written", async () => {
    const file = path.join(root, "new-state.json");
    const r = await probe(file);
    expect(r.code).toBe(0); // the reserved endpoint is reported as not probeable, not as a failure
    expect(JSON.parse(r.stdout).results[0]).toMatchObject({ service: "api", status: "not-probeable", stage: "config" });
    // Written, but with nothing measured for the placeholder address.
    expect(JSON.parse(await readFile(file, "utf8")).services.api).toBeUndefined();
  });
});
