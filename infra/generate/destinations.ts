/**
 * Where each generated file belongs once synthesized, as one table: synth's summary prints it per
 * file and docs/synth.md lists the same. `config/<env>/` is the copy to deploy; the assets under
 * `stacks/<env>/assets/` are Terraform's byte-identical copies, there so `terraform plan` sees
 * each file's hash.
 */
import type { EnvContext } from "./context.js";

interface Destination {
  /** Path below config/<env>/, as a pattern: `*` stands for one path segment part. */
  pattern: RegExp;
  where: (ctx: EnvContext) => string;
}

const DESTINATIONS: Destination[] = [
  {
    pattern: /^cron\/crontab$/,
    where: (c) => `the crontab of the user that runs tollgate in ${c.workdir} (crontab cron/crontab)`,
  },
  {
    pattern: /^kubernetes\/cronjobs\.yaml$/,
    where: (c) => `kubectl apply -f (namespace ${c.namespace}; image ${c.image})`,
  },
  {
    pattern: /^kubernetes\/exporter\.yaml$/,
    where: (c) => `kubectl apply -f (namespace ${c.namespace}; image ${c.image})`,
  },
  {
    pattern: /^prometheus\/prometheus\.yml$/,
    where: () => "Prometheus --config.file, cron path (with rules.yml beside it)",
  },
  {
    pattern: /^prometheus\/exporter\.yml$/,
    where: () => "Prometheus --config.file, exporter path (with rules.yml and exporter-rules.yml beside it)",
  },
  {
    pattern: /^prometheus\/shard-\d+-of-\d+\.yml$/,
    where: () => "--config.file of that shard's Prometheus (with rules.yml and exporter-rules.yml beside it)",
  },
  { pattern: /^prometheus\/(rules|exporter-rules)\.yml$/, where: () => "beside Prometheus' config (its rule_files)" },
  { pattern: /\.test\.yml$/, where: () => "CI: promtool test rules (not deployed)" },
  {
    pattern: /^alertmanager\/alertmanager\.yml$/,
    where: () => "Alertmanager --config.file (credentials stay in the *_file paths it names)",
  },
  { pattern: /^alertmanager\/route-tests\.(json|sh)$/, where: () => "CI: amtool routing checks (not deployed)" },
  { pattern: /^blackbox\/blackbox\.yml$/, where: () => "blackbox_exporter --config.file" },
  {
    pattern: /^client-policies\.json$/,
    where: () => "the application clients' configuration (retry, breaker, budget per API)",
  },
  { pattern: /^grafana\/dashboards\//, where: (c) => `/var/lib/grafana/dashboards/tollgate-${c.env}/` },
  { pattern: /^grafana\/provisioning\/dashboards\.yaml$/, where: () => "/etc/grafana/provisioning/dashboards/" },
  { pattern: /^grafana\/provisioning\/datasources\.yaml$/, where: () => "/etc/grafana/provisioning/datasources/" },
];

/** Where a file below config/<env>/ goes; a file without an entry is a bug (a test checks every one has one). */
export function destinationOf(ctx: EnvContext, relativePath: string): string | undefined {
  return DESTINATIONS.find((d) => d.pattern.test(relativePath))?.where(ctx);
}
