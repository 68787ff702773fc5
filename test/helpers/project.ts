import { cp, mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { spawn } from "node:child_process";

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const BIN = path.join(REPO, "bin", "tollgate.js");
export const NOW = "2026-11-24";

export async function tempDir(prefix = "tollgate-test-"): Promise<string> {
  return mkdtemp(path.join(tmpdir(), prefix));
}

/** A throwaway copy of the bundled reference organization that a test may edit freely. */
export async function copyReferenceOrg(): Promise<string> {
  const dir = await tempDir();
  for (const entry of ["manifests", "secrets-manifest", "tollgate.yaml", "waivers.yaml", "schemas"]) {
    await cp(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
  }
  return dir;
}

export async function writeProject(files: Record<string, string>): Promise<string> {
  const dir = await tempDir();
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    await mkdir(path.dirname(abs), { recursive: true });
    await writeFile(abs, content);
  }
  return dir;
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real compiled CLI as a user would, with colour off. */
export function runCli(
  args: string[],
  options: {
    cwd?: string;
    env?: Record<string, string | undefined>;
    timeoutMs?: number;
    withoutDacOverride?: boolean;
  } = {},
): Promise<CliResult> {
  // undefined removes a variable (e.g. NO_COLOR, which counts as set even when empty).
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: "1", GITHUB_ACTIONS: "", ...options.env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  return new Promise((resolve, reject) => {
    // Root without the capabilities that let it read any file: a chmod 000 folder is unreadable again.
    const [cmd, pre] = options.withoutDacOverride
      ? ["setpriv", ["--bounding-set=-dac_override,-dac_read_search", process.execPath]]
      : [process.execPath, []];
    const child = spawn(cmd, [...pre, BIN, ...args], {
      cwd: options.cwd ?? REPO,
      env: env as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 150_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}
