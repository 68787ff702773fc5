/**
 * Entry point for the cdktf CLI (`cdktf synth`, via cdktf.json's "app"). Reads TOLLGATE_ROOT,
 * TOLLGATE_ENV (comma-separated; default all) and TOLLGATE_NOW. The production gate applies here
 * too; TOLLGATE_FORCE_REASON overrides it and is recorded in the stack.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { App } from "cdktf";
import { MARKER } from "../util/output-dir.js";
import { productionGate } from "../assess/gate.js";
import { assess } from "../assess/readiness.js";
import { todayUtc } from "../model/dates.js";
import { formatDiagnostic } from "../model/diagnostics.js";
import { addStacks } from "./synth.js";
import { version } from "../util/version.js";
import type { GateOverride } from "./stack.js";

const root = process.env.TOLLGATE_ROOT ?? process.cwd();
const now = process.env.TOLLGATE_NOW ?? todayUtc();
const { project, report, diagnostics } = await assess(root, { now });
if (!report) {
  for (const d of diagnostics) console.error(formatDiagnostic(d));
  process.exit(2);
}
const all = [...project.model.environments.keys()];
const envs = process.env.TOLLGATE_ENV ? process.env.TOLLGATE_ENV.split(",") : all;
const overrides: Record<string, GateOverride> = {};
for (const env of envs.filter((e) => project.model.environments.get(e)?.production)) {
  const g = productionGate(report, project.config.gate?.production?.scorecards ?? ["secrets"]);
  if (g.passed) continue;
  const failing = g.failing.map((f) => `${f.scorecard}/${f.category}`);
  if (!process.env.TOLLGATE_FORCE_REASON) {
    console.error(
      `tollgate: refusing to synthesize ${env}: readiness gate fails (${failing.join(", ")}). Set TOLLGATE_FORCE_REASON to override.`,
    );
    process.exit(1);
  }
  overrides[env] = { reason: process.env.TOLLGATE_FORCE_REASON, failing };
}
const app = new App();
addStacks(app, project.model, { envs, version: version(), overrides });
app.synth();
// The same marker tollgate synth writes, so `tollgate synth --out cdktf.out` may replace this output.
writeFileSync(
  path.join(app.outdir, MARKER),
  "Created by tollgate's cdktf app; tollgate synth may replace this folder.\n",
);
