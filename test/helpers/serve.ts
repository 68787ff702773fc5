/** `tollgate serve` as a real process on 127.0.0.1 with an ephemeral port (--listen 127.0.0.1:0). */
import { spawn, type ChildProcess } from "node:child_process";
import { BIN, REPO } from "./project.js";

export interface Served {
  url: string;
  proc: ChildProcess;
  stderr: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  kill: (signal?: NodeJS.Signals) => void;
}

export async function startServe(root: string, args: string[] = [], env: Record<string, string> = {}): Promise<Served> {
  const proc = spawn(process.execPath, [BIN, "serve", "--root", root, "--listen", "127.0.0.1:0", ...args], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  let out = "";
  proc.stdout!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => proc.on("close", (code) => r(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${err}`)), 60_000);
    proc.stderr!.on("data", (d) => {
      err += d;
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code} before listening:\n${err}${out}`));
    });
  });
  return {
    url,
    proc,
    stderr: () => err,
    exited,
    kill: (signal = "SIGTERM") => {
      if (proc.exitCode === null) proc.kill(signal);
    },
  };
}

/** GET /probe?service=NAME (raw query when `query` is given), with an optional scrape timeout header. */
export async function scrape(
  base: string,
  service: string,
  timeoutSeconds?: number,
  query?: string,
): Promise<{ status: number; body: string }> {
  const res = await fetch(`${base}/probe?${query ?? `service=${encodeURIComponent(service)}`}`, {
    headers: timeoutSeconds === undefined ? {} : { "X-Prometheus-Scrape-Timeout-Seconds": String(timeoutSeconds) },
  });
  return { status: res.status, body: await res.text() };
}

/** One sample's value from exposition text, or undefined. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}
