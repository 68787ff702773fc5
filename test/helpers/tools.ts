/**
 * The real tools the tests drive (Prometheus, Alertmanager, the blackbox exporter, Chromium). A
 * missing binary fails the test (never a silent skip): .ci/run installs the Debian packages.
 */
import { execFileSync, spawnSync } from "node:child_process";

export function requireTool(name: string): string {
  const found = spawnSync("sh", ["-c", `command -v ${name}`], { encoding: "utf8" }).stdout.trim();
  if (!found)
    throw new Error(
      `${name} is not installed: run 'apt-get install -y prometheus prometheus-alertmanager prometheus-blackbox-exporter chromium openssl git' (see .ci/run)`,
    );
  return found;
}

export function run(cmd: string, args: string[], cwd?: string): { code: number; out: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout: 150_000 });
  return { code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

export { execFileSync };
