/**
 * Worker thread for one custom policy check (policies/custom-run.ts starts it). Imports the module,
 * finds the policy by id, runs its check (sync or async) over the structured-cloned context and
 * posts each finding; any error is posted as a message, never thrown at the parent.
 */
import { parentPort, workerData } from "node:worker_threads";
import { exportedPolicies, importModule } from "./custom-import.js";

interface Job {
  file: string;
  id: string;
  /** A TypeScript module as the loader transpiled it. */
  code?: string;
  ctx: unknown;
}

const port = parentPort!;
const job = workerData as Job;

function describe(e: unknown): string {
  let text: string;
  try {
    text = e instanceof Error ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}` : `threw ${typeof e === "string" ? e : String(JSON.stringify(e) ?? e)}`;
  } catch {
    text = "threw a value that cannot be shown";
  }
  return text.split("\n")[0]!.slice(0, 500);
}

process.on("unhandledRejection", (e) => port.postMessage({ type: "error", message: `unhandled rejection: ${describe(e)}` }));

async function main(): Promise<void> {
  let policy: { id?: unknown; check?: unknown } | undefined;
  try {
    const mod = (await importModule(job.file, job.code)).exports;
    policy = exportedPolicies(mod).find((p) => (p as { id?: unknown })?.id === job.id) as typeof policy;
  } catch (e) {
    port.postMessage({ type: "error", message: `could not load the module: ${describe(e)}` });
    return;
  }
  if (!policy || typeof policy.check !== "function") {
    port.postMessage({ type: "error", message: "the module no longer exports this policy" });
    return;
  }
  port.postMessage({ type: "ready" });
  try {
    await (policy.check as (ctx: unknown, report: (f: unknown) => void) => unknown)(job.ctx, (finding) => port.postMessage({ type: "finding", finding }));
    port.postMessage({ type: "done" });
  } catch (e) {
    port.postMessage({ type: "error", message: describe(e) });
  }
}

void main();
