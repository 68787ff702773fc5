/**
 * Loads one custom policy module in a worker thread (policies/custom-worker.ts, mode "load"), under
 * a time limit: the module's top-level code never runs on the CLI's thread, so an import that never
 * settles, calls process.exit or kills its thread ends as a failure the caller reports, not as a
 * silent exit 0. What comes back is plain data: each export's metadata and its parsed options.
 */
import { Worker } from "node:worker_threads";
import { loadTimeoutMs, workerFile } from "./custom-import.js";

export interface LoadedExport {
  ok: boolean;
  /** ok false: why the export is not a valid policy. */
  message?: string;
  meta?: {
    id: string;
    title: string;
    category: string;
    severity: "error" | "warning" | "note";
    rationale: string;
    remediation: string;
    docsUrl?: string;
    scorecard?: { id: string; category: string; categoryTitle?: string };
  };
  options?: { ok: true; data: unknown } | { ok: false; issues: { path: (string | number)[]; message: string }[] };
}

export type LoadOutcome =
  | { kind: "loaded"; exports: LoadedExport[] }
  /** The module threw while importing (its message, to be redacted by the caller). */
  | { kind: "import-error"; message: string }
  /** It did not settle, exited, or crashed its worker. */
  | { kind: "failed"; reason: string };

/** `code`: a TypeScript module already transpiled (custom-import.ts transpile), imported as it is. */
export function loadInWorker(
  file: string,
  settings: Record<string, unknown>,
  checkTimeoutMs: number,
  code?: string,
): Promise<LoadOutcome> {
  return new Promise((resolve) => {
    let worker: Worker | undefined;
    let settled = false;
    const limit = loadTimeoutMs(checkTimeoutMs);
    const finish = (o: LoadOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker?.terminate();
      resolve(o);
    };
    const timer = setTimeout(
      () => finish({ kind: "failed", reason: `its import did not settle within ${limit} ms` }),
      limit,
    );
    try {
      worker = new Worker(workerFile(), {
        workerData: { mode: "load", file, settings, ...(code !== undefined ? { code } : {}) },
      });
    } catch (e) {
      finish({ kind: "failed", reason: `its worker could not start (${(e as Error).message.split("\n")[0]})` });
      return;
    }
    worker.on("message", (m: { type: string; exports?: LoadedExport[]; message?: string }) => {
      if (m.type === "loaded" && Array.isArray(m.exports)) finish({ kind: "loaded", exports: m.exports });
      else if (m.type === "import-error") finish({ kind: "import-error", message: m.message ?? "unknown error" });
      else finish({ kind: "failed", reason: m.message ?? "unknown error" });
    });
    worker.on("error", (e) =>
      finish({
        kind: "failed",
        reason: `its worker crashed: ${(e?.message ?? String(e)).split("\n")[0]!.slice(0, 500)}`,
      }),
    );
    worker.on("exit", (code) =>
      finish({
        kind: "failed",
        reason: `its import ended the worker (exit code ${code}) before the module finished loading`,
      }),
    );
  });
}
