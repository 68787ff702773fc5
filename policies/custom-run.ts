/**
 * Runs custom policy checks contained: each in its own worker thread, with the typed model passed
 * as structured-clone data, under a time limit (limits.customPolicyTimeoutMs, default 5 s per
 * policy). A check that throws, rejects, loops or reports something malformed becomes a
 * `custom-policy-failed` diagnostic naming the policy id and module; its findings are dropped.
 * Built-in policies pass through untouched; a custom one that succeeded is replaced by a policy
 * that replays the findings its worker reported, so the engine scores both the same way.
 */
import { Worker } from "node:worker_threads";
import type { Diagnostic } from "../model/diagnostics.js";
import type { Model } from "../model/model.js";
import { SECTIONS as SECTION_NAMES } from "../model/sections.js";
import { CUSTOM_SOURCES } from "./custom.js";
import { DEFAULT_CUSTOM_POLICY_TIMEOUT_MS, loadTimeoutMs, workerFile } from "./custom-import.js";

export { DEFAULT_CUSTOM_POLICY_TIMEOUT_MS };
import type { FindingInput, Policy, PolicySeverity } from "./types.js";

const SECTIONS = new Set<string>(SECTION_NAMES);

interface Configured {
  policy: Policy;
  severity: PolicySeverity;
  options: unknown;
}

function validFinding(f: unknown): f is FindingInput {
  const x = f as FindingInput;
  return (
    !!x &&
    typeof x.subject === "string" &&
    typeof x.message === "string" &&
    !!x.at &&
    SECTIONS.has(x.at.section) &&
    typeof x.at.name === "string" &&
    (x.at.path === undefined ||
      (Array.isArray(x.at.path) && x.at.path.every((p) => typeof p === "string" || typeof p === "number"))) &&
    (x.key === undefined || typeof x.key === "string") &&
    (x.date === undefined || typeof x.date === "string")
  );
}

type Outcome = { ok: true; findings: FindingInput[] } | { ok: false; reason: string };

function runOne(file: string, code: string | undefined, id: string, ctx: unknown, timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve) => {
    let worker: Worker;
    const findings: FindingInput[] = [];
    let settled = false;
    let timer: NodeJS.Timeout;
    const finish = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker?.terminate();
      resolve(o);
    };
    try {
      worker = new Worker(workerFile(), {
        workerData: { mode: "check", file, id, ctx, ...(code !== undefined ? { code } : {}) },
      });
    } catch (e) {
      finish({
        ok: false,
        reason: `its context could not be passed to a worker (${(e as Error).message.split("\n")[0]})`,
      });
      return;
    }
    const loadMs = loadTimeoutMs(timeoutMs);
    timer = setTimeout(() => finish({ ok: false, reason: `could not be loaded within ${loadMs} ms` }), loadMs);
    worker.on("message", (m: { type: string; finding?: unknown; message?: string }) => {
      if (m.type === "ready") {
        clearTimeout(timer);
        timer = setTimeout(
          () =>
            finish({ ok: false, reason: `check did not finish within ${timeoutMs} ms (limits.customPolicyTimeoutMs)` }),
          timeoutMs,
        );
      } else if (m.type === "finding") {
        if (validFinding(m.finding)) findings.push(m.finding);
        else finish({ ok: false, reason: "reported a finding without subject, message and at: { section, name }" });
      } else if (m.type === "done") finish({ ok: true, findings });
      else if (m.type === "error") finish({ ok: false, reason: m.message ?? "unknown error" });
    });
    worker.on("error", (e) => finish({ ok: false, reason: (e?.message ?? String(e)).split("\n")[0]! }));
    worker.on("exit", (code) =>
      finish({ ok: false, reason: `its worker exited (code ${code}) before the check finished` }),
    );
  });
}

export async function runCustomChecks(
  model: Model,
  configured: readonly Configured[],
  now: string,
  env: string | undefined,
  timeoutMs = DEFAULT_CUSTOM_POLICY_TIMEOUT_MS,
  /** Called after each custom policy's run (the progress line: these are the slow ones). */
  onRun?: () => void,
): Promise<{ configured: Configured[]; diagnostics: Diagnostic[] }> {
  const environments = env ? [env] : [...model.environments.keys()];
  const production = [...model.environments].find(([, e]) => e.production)?.[0];
  const out: Configured[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const c of configured) {
    const source = CUSTOM_SOURCES.get(c.policy);
    if (!source) {
      out.push(c);
      continue;
    }
    const result = await runOne(
      source.file,
      source.code,
      c.policy.id,
      { model, options: c.options, now, environments, production },
      timeoutMs,
    );
    onRun?.();
    if (!result.ok) {
      diagnostics.push({
        code: "custom-policy-failed",
        severity: "error",
        file: source.display,
        line: 1,
        col: 1,
        message: `custom policy \`${c.policy.id}\` (${source.display}) failed: ${result.reason}`,
        // Node 20 cannot run a .ts file itself: "run it with node" only fits JavaScript.
        hint: `Fix the policy's check (${source.file.endsWith(".ts") ? "test it " : "run it with node, or "}with runPolicyCase from tollgate's testing API); its findings are not used.`,
      });
      continue;
    }
    const replay: Policy = { ...c.policy, check: (_ctx, report) => result.findings.forEach((f) => report(f)) };
    out.push({ ...c, policy: replay });
  }
  return { configured: out, diagnostics };
}
