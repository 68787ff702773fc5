/** Per-environment settings every generator needs, with the defaults in one place. */
import type { Model } from "../../model/model.js";
import { schedulePeriodMs } from "../../model/cron.js";
import { durationMs, formatDuration } from "../../model/duration.js";
import { exporterSettings, type ExporterSettings } from "./exporter-settings.js";

export interface EnvContext {
  env: string;
  model: Model;
  production: boolean;
  workdir: string;
  textfileDir: string;
  stateDir: string;
  image: string;
  namespace: string;
  command: string[];
  probeSchedule: string;
  probeTimeout: string | undefined;
  scrapeInterval: string;
  evaluationInterval: string;
  groupWait: string;
  groupInterval: string;
  repeatInterval: string;
  alertmanager: string;
  nodeExporter: string;
  blackboxExporter: string;
  /** The exporter path (`tollgate serve` + Prometheus, maybe sharded); undefined = the cron probe job. */
  exporter: ExporterSettings | undefined;
  /** Without a completed probe run for this long, ProbeRunsStale fires (staleness-rules.ts). */
  staleAfter: string;
}

export function envContext(model: Model, env: string, version: string, opts: { shards?: number } = {}): EnvContext {
  const e = model.environments.get(env);
  if (!e) throw new Error(`bug: unknown environment ${env}`);
  const r = e.runtime ?? {};
  const m = e.monitoring ?? {};
  const exporter = exporterSettings(e, opts.shards);
  return {
    env,
    model,
    production: e.production,
    workdir: r.workdir ?? "/srv/tollgate",
    textfileDir: r.textfileDir ?? "/var/lib/node_exporter/textfile_collector",
    stateDir: r.stateDir ?? "/var/lib/tollgate",
    image: r.image ?? `ghcr.io/tollgate/tollgate:${version}`,
    namespace: r.namespace ?? "monitoring",
    command: r.command ?? ["tollgate"],
    probeSchedule: e.probe?.schedule ?? "* * * * *",
    probeTimeout: e.probe?.timeout,
    scrapeInterval: m.scrapeInterval ?? "30s",
    evaluationInterval: m.evaluationInterval ?? "30s",
    groupWait: m.groupWait ?? "30s",
    groupInterval: m.groupInterval ?? "5m",
    repeatInterval: m.repeatInterval ?? "4h",
    alertmanager: m.alertmanager ?? "localhost:9093",
    nodeExporter: m.nodeExporter ?? "localhost:9100",
    blackboxExporter: m.blackboxExporter ?? "localhost:9115",
    exporter,
    staleAfter:
      e.probe?.staleAfter ??
      formatDuration(
        3 * (exporter ? durationMs(exporter.scrapeInterval) : schedulePeriodMs(e.probe?.schedule ?? "* * * * *")),
      ),
  };
}

/** Services that have something to probe in this environment. */
export function servicesIn(ctx: EnvContext): string[] {
  return [...ctx.model.services]
    .filter(([, s]) => {
      const ep = s.endpoints[ctx.env];
      return !!(ep && (ep.url || ep.health || ep.command));
    })
    .map(([n]) => n);
}
