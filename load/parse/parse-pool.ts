/**
 * Parses manifest files in worker threads, balanced by size. Each file's Document stays in its
 * worker; the loader gets plain data and DeferredSources whose positions are resolved in one
 * message per worker when they are needed.
 */
import { statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { Diagnostic } from "../../model/diagnostics.js";
import { display, type ReaderConfig } from "./parse-file.js";
import type { CacheStats } from "./parse-cache.js";
import { DeferredSource } from "../source-map.js";

interface Sink {
  addRaw(d: Diagnostic): void;
  rememberSecret(v: string): void;
}

export interface PoolResult {
  results: ({ src: DeferredSource; data: unknown } | undefined)[];
  resolve: () => Promise<void>;
  dispose: () => Promise<void>;
  cacheStats: CacheStats;
}

function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  // Under a TypeScript test runner this module is the .ts source; workers run the compiled file.
  return here.endsWith(".ts")
    ? path.resolve(path.dirname(here), "../../dist/load/parse/parse-worker.js")
    : path.join(path.dirname(here), "parse-worker.js");
}

export async function parseInWorkers(
  reader: ReaderConfig,
  files: string[],
  count: number,
  sink: Sink,
  onFile?: () => void,
): Promise<PoolResult> {
  const config: ReaderConfig = {
    realRoot: reader.realRoot,
    displayBase: reader.displayBase,
    maxBytes: reader.maxBytes,
    maxDepth: reader.maxDepth,
    cache: reader.cache,
  };
  const cacheStats: CacheStats = { hits: 0, misses: 0, writes: 0 };
  // Largest files first onto the least-loaded worker.
  const sized = files
    .map((abs, id) => ({ id, abs, size: safeSize(abs) }))
    .sort((a, b) => b.size - a.size || a.id - b.id);
  const shares = Array.from({ length: count }, () => ({ bytes: 0, files: [] as { id: number; abs: string }[] }));
  for (const f of sized) {
    const least = shares.reduce((a, b) => (b.bytes < a.bytes ? b : a));
    least.bytes += f.size;
    least.files.push({ id: f.id, abs: f.abs });
  }
  const results: PoolResult["results"] = new Array(files.length).fill(undefined);
  const sources: DeferredSource[][] = [];
  const workers = shares
    .filter((s) => s.files.length > 0)
    .map((share, w) => {
      sources[w] = [];
      const worker = new Worker(workerFile(), { workerData: { config, files: share.files } });
      const done = new Promise<void>((resolve, reject) => {
        worker.on("message", (m: any) => {
          if (m.type === "file") {
            for (const d of m.diagnostics as Diagnostic[]) sink.addRaw(d);
            for (const v of m.secrets as string[]) sink.rememberSecret(v);
            if (m.ok) {
              const src = new DeferredSource(display(config, files[m.id]!), m.id);
              sources[w]!.push(src);
              results[m.id] = { src, data: m.data };
            }
            onFile?.();
          } else if (m.type === "done") {
            if (m.cache) for (const k of ["hits", "misses", "writes"] as const) cacheStats[k] += m.cache[k];
            resolve();
          }
        });
        worker.once("error", reject);
        worker.once("exit", (code) =>
          code === 0 ? resolve() : reject(new Error(`parse worker exited with code ${code}`)),
        );
      });
      return { worker, done };
    });
  try {
    await Promise.all(workers.map((w) => w.done));
  } catch (e) {
    await Promise.all(workers.map((w) => w.worker.terminate()));
    throw e;
  }
  let batch = 0;
  let disposed = false;
  const resolve = async () => {
    if (disposed) return;
    await Promise.all(
      workers.map(async ({ worker }, w) => {
        const pending = sources[w]!.flatMap((src) => src.pending.splice(0).map((p) => ({ src, ...p })));
        if (pending.length === 0) return;
        const id = ++batch;
        const answer = new Promise<number[][]>((res) => {
          const onMessage = (m: any) => {
            if (m.type === "located" && m.batch === id) {
              worker.off("message", onMessage);
              res(m.positions);
            }
          };
          worker.on("message", onMessage);
        });
        // Referenced while a request is outstanding, so the process waits for the answer.
        worker.ref();
        worker.postMessage({ type: "locate", batch: id, requests: pending.map((p) => [p.src.workerFileId, p.path]) });
        const positions = await answer;
        worker.unref();
        pending.forEach((p, i) => {
          p.loc.line = positions[i]![0]!;
          p.loc.col = positions[i]![1]!;
        });
      }),
    );
  };
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    // Positions asked for after this point can only name the file.
    for (const list of sources)
      for (const src of list) for (const p of src.pending.splice(0)) Object.assign(p.loc, { line: 1, col: 1 });
    for (const list of sources) for (const src of list) src.disposed = true;
    await Promise.all(workers.map((w) => w.worker.terminate()));
  };
  // Idle workers must not keep the process alive if a caller forgets to dispose.
  for (const w of workers) w.worker.unref();
  return { results, resolve, dispose, cacheStats };
}

function safeSize(f: string): number {
  try {
    return statSync(f).size;
  } catch {
    return 0;
  }
}
