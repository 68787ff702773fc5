/**
 * Worker thread for custom policies (policies/custom-load.ts and custom-run.ts start it). Nothing
 * of a custom module ever runs on the CLI's own thread: a top-level `await` that never settles or a
 * `process.exit` at import ends this thread, which the parent reports, never the run.
 * - mode "load": imports the module, checks each export's shape and parses its options from
 *   tollgate.yaml, and posts what the parent needs (plain data: the metadata and the parsed options).
 * - mode "check": imports the module, finds the policy by id, runs its check (sync or async) over
 *   the structured-cloned context and posts each finding.
 * Any error is posted as a message, never thrown at the parent.
 */
import { parentPort, workerData } from "node:worker_threads";
import { z } from "zod";
import { exportedPolicies, importModule } from "./custom-import.js";

interface Job {
  mode: "load" | "check";
  file: string;
  id?: string;
  ctx?: unknown;
  /** A TypeScript module as the loader transpiled it (never transpiled again here). */
  code?: string;
  /** mode "load": tollgate.yaml's `policies:` settings, to parse each policy's options. */
  settings?: Record<string, unknown>;
}

const port = parentPort!;
const job = workerData as Job;

function describe(e: unknown, limit = 500): string {
  let text: string;
  try {
    text =
      e instanceof Error
        ? `${e.name === "Error" ? "" : `${e.name}: `}${e.message}`
        : `threw ${typeof e === "string" ? e : String(JSON.stringify(e) ?? e)}`;
  } catch {
    text = "threw a value that cannot be shown";
  }
  return text.split("\n")[0]!.slice(0, limit);
}

const post = (m: unknown) => {
  try {
    port.postMessage(m);
  } catch (e) {
    port.postMessage({ type: "error", message: `posted something that is not plain data (${describe(e)})` });
  }
};

process.on("unhandledRejection", (e) => post({ type: "error", message: `unhandled rejection: ${describe(e)}` }));

const Shape = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/),
  title: z.string().min(1),
  category: z.string().min(1),
  severity: z.enum(["error", "warning", "note"]),
  rationale: z.string().min(1),
  remediation: z.string().min(1),
  docsUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional(),
  scorecard: z.object({ id: z.string(), category: z.string(), categoryTitle: z.string().optional() }).optional(),
  check: z.custom((v) => typeof v === "function", "check must be a function"),
});

/** The options value engine.ts's configure() would parse for this policy. */
function rawOptions(setting: unknown): unknown {
  return setting && typeof setting === "object" ? ((setting as { options?: unknown }).options ?? {}) : {};
}

function describeExport(p: unknown): unknown {
  const parsed = Shape.safeParse(p);
  if (!parsed.success)
    return {
      ok: false,
      message: `export is not a valid policy: ${parsed.error.issues.map((i) => `${i.path.join(".")} ${i.message}`).join("; ")}`,
    };
  const { check: _check, ...meta } = parsed.data;
  const schema = (p as { options?: unknown }).options ?? z.strictObject({});
  if (typeof (schema as { safeParse?: unknown }).safeParse !== "function")
    return { ok: false, message: "export is not a valid policy: options must be a zod schema" };
  const r = (schema as z.ZodType).safeParse(rawOptions(job.settings?.[meta.id]));
  const options = r.success
    ? { ok: true, data: r.data }
    : {
        ok: false,
        issues: r.error.issues.map((i) => ({ path: i.path.filter((x) => typeof x !== "symbol"), message: i.message })),
      };
  return { ok: true, meta, options };
}

async function load(): Promise<void> {
  let mod: Record<string, unknown>;
  try {
    mod = (await importModule(job.file, job.code)).exports;
  } catch (e) {
    // Not cut short: the parent redacts secrets from the whole line first.
    post({ type: "import-error", message: describe(e, Number.POSITIVE_INFINITY) });
    return;
  }
  post({ type: "loaded", exports: exportedPolicies(mod).map(describeExport) });
}

async function check(): Promise<void> {
  let policy: { id?: unknown; check?: unknown } | undefined;
  try {
    const mod = (await importModule(job.file, job.code)).exports;
    policy = exportedPolicies(mod).find((p) => (p as { id?: unknown })?.id === job.id) as typeof policy;
  } catch (e) {
    post({ type: "error", message: `could not load the module: ${describe(e)}` });
    return;
  }
  if (!policy || typeof policy.check !== "function") {
    post({ type: "error", message: "the module no longer exports this policy" });
    return;
  }
  post({ type: "ready" });
  try {
    await (policy.check as (ctx: unknown, report: (f: unknown) => void) => unknown)(job.ctx, (finding) =>
      post({ type: "finding", finding }),
    );
    post({ type: "done" });
  } catch (e) {
    post({ type: "error", message: describe(e) });
  }
}

void (job.mode === "load" ? load() : check());
