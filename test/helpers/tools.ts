/**
 * The real tools the tests drive (Prometheus, Alertmanager, the blackbox exporter, Chromium, Go). A
 * missing binary fails the test (never a silent skip): .ci/run installs the Debian packages.
 */
import { execFileSync, spawnSync } from "node:child_process";

export function requireTool(name: string): string {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  if (!found)
    throw new Error(
      `${name} is not installed: install the Debian packages .ci/run lists (it installs them and runs the suite)`,
    );
  return found;
}

export function run(cmd: string, args: string[], cwd?: string): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 150_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export { execFileSync };
