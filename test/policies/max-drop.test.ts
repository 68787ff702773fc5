/**
 * `--max-drop` through the CLI, on its own: no `--fail-on-new`, `--fail-on never`, so the score
 * drop is the only thing that can fail the gate. A worse PR fails only when the drop exceeds the
 * limit; a better PR never fails on it (a flipped sign would fail it).
 */
import { execFileSync } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOW, copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";
import { editYaml } from "../helpers/yaml-edit.js";

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@t.example",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@t.example",
};
let root = "";
const git = (...args: string[]) => execFileSync("git", ["-C", root, ...args], { env: gitEnv }).toString();
const check = (base: string, maxDrop: string) =>
  runCli(["check", "--now", NOW, "--base", base, "--fail-on", "never", "--max-drop", maxDrop, "--format", "json"], {
    cwd: root,
  });
const dropRunbook = () =>
  editYaml(path.join(root, "secrets-manifest/openai.yaml"), (doc) =>
    doc.deleteIn(["secrets", "OPENAI_API_KEY", "runbook"]),
  );

beforeAll(async () => {
  root = await copyReferenceOrg();
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git("commit", "-qm", "base");
  git("tag", "good");
  await dropRunbook();
  git("commit", "-qam", "drop a runbook");
  git("tag", "worse");
});
afterAll(() => removeDir(root));

describe("--max-drop", () => {
  it("fails a PR whose score drops by more than the limit, naming the drop", async () => {
    git("checkout", "-q", "worse");
    const r = await check("good", "0");
    expect(r.code, r.stderr).toBe(1);
    const drop = Number(/score dropped (\d+(?:\.\d+)?) points, more than --max-drop 0/.exec(r.stderr)?.[1]);
    expect(drop).toBeGreaterThan(0);
    // The same drop within a limit at least as large passes: the gate compares, it does not just fire.
    const within = await check("good", String(Math.ceil(drop)));
    expect(within.code, within.stderr).toBe(0);
    expect(within.stderr).not.toContain("score dropped");
  });

  it("never fails a PR whose score rises, however small the limit", async () => {
    git("checkout", "-q", "good");
    const r = await check("worse", "0");
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).not.toContain("score dropped");
  });
});
