/**
 * Tests write only inside their own temporary folders. The run gets a TMPDIR of its own (workers
 * inherit it); at the end the repository's tree must be as it was and nothing may be left in that
 * TMPDIR: a test that writes beside its folder, or never removes it, fails the run by name.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const status = () =>
  execFileSync("git", ["-C", REPO, "status", "--porcelain", "--untracked-files=all"], { encoding: "utf8" });

export default function setup(): () => void {
  const before = status();
  const dir = mkdtempSync(path.join(tmpdir(), "tollgate-suite-"));
  process.env.TMPDIR = dir;
  return () => {
    const left = readdirSync(dir);
    rmSync(dir, { recursive: true, force: true });
    const after = status();
    const problems: string[] = [];
    if (after !== before) problems.push(`the tests changed the repository's tree:\n${after}`);
    if (left.length) problems.push(`the tests left these in their temporary folder: ${left.sort().join(", ")}`);
    if (problems.length) {
      // vitest reports an error thrown here but still exits 0: the exit code has to say it too.
      process.exitCode = 1;
      throw new Error(problems.join("\n"));
    }
  };
}
