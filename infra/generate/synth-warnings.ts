/**
 * What synth can write but nobody would notice is useless: alerts whose severity reaches no
 * receiver (Alertmanager sends them to the null receiver), and a Prometheus shard that gets no
 * service (its ProbeRunsStale would fire forever). Warnings, as data; the CLI locates and prints
 * them, and the run still succeeds.
 */
import { effectiveAlert, receiversFor } from "../../model/alerts.js";
import { NULL_RECEIVER } from "./alertmanager.js";
import type { EnvContext } from "./context.js";
import { servicesIn } from "./context.js";
import { prometheusHashmod } from "./exporter-prometheus.js";
import { READINESS_ALERT } from "./readiness-rules.js";
import { STALE_ALERT } from "./staleness-rules.js";

export interface SynthWarning {
  code: "alerts-unrouted" | "shard-empty";
  env: string;
  message: string;
  hint: string;
}

/** Alert names per severity in the environment: the manifests' and the built-in ones. */
function alertsBySeverity(ctx: EnvContext): Map<string, string[]> {
  const by = new Map<string, string[]>([
    ["critical", [STALE_ALERT]],
    ["warning", [READINESS_ALERT]],
  ]);
  for (const name of ctx.model.alerts.keys()) {
    const a = effectiveAlert(ctx.model, name, ctx.env);
    if (a) (by.get(a.severity) ?? by.set(a.severity, []).get(a.severity)!).push(name);
  }
  return by;
}

export function synthWarnings(ctx: EnvContext): SynthWarning[] {
  const out: SynthWarning[] = [];
  for (const [severity, alerts] of alertsBySeverity(ctx)) {
    if (receiversFor(ctx.model, ctx.env, severity).length) continue;
    out.push({
      code: "alerts-unrouted",
      env: ctx.env,
      message: `${severity} alerts in ${ctx.env} (${alerts.sort().join(", ")}) reach no receiver: Alertmanager routes them to ${NULL_RECEIVER}, which drops them`,
      hint: `Declare a channel with \`severities: [${severity}]\` under channels:, or enable one for this environment under environments.${ctx.env}.channels.`,
    });
  }
  const x = ctx.exporter;
  if (x && x.shards > 1) {
    const counts = new Array<number>(x.shards).fill(0);
    for (const s of servicesIn(ctx)) counts[prometheusHashmod(s, x.shards)]!++;
    const empty = counts.flatMap((n, i) => (n === 0 ? [i] : []));
    if (empty.length) {
      out.push({
        code: "shard-empty",
        env: ctx.env,
        message: `${empty.length} of ${x.shards} Prometheus shards in ${ctx.env} get no service (shard ${empty.join(", ")}): they probe nothing and their ProbeRunsStale fires`,
        hint: "Use fewer shards (probe.shards or synth --shards) for this many services.",
      });
    }
  }
  return out;
}
