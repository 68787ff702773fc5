/**
 * Constructs that read like the deployment they describe. Each owns one concern of an
 * environment's monitoring and writes its files through GeneratedFile.
 */
import { Resource } from "@cdktf/provider-null/lib/resource/index.js";
import { Construct } from "constructs";
import type { EnvContext } from "../generate/context.js";
import { commandLine, crontab, describeSchedule, jobs, kubernetesCronJobs } from "../generate/cron.js";
import { alertsFor, blackboxConfig, prometheusConfig, ruleTestsFile, rulesFile } from "../generate/prometheus.js";
import { alertmanagerConfig, routeExpectations, routeTestScript } from "../generate/alertmanager.js";
import { clientPolicies } from "../generate/client-policies.js";
import { GRAFANA_PATHS, dashboardProvisioning, datasourceProvisioning } from "../generate/grafana.js";
import { dashboardChunks } from "../generate/grafana-dashboard.js";
import { streamedDashboardSpec } from "../generate/grafana-spec.js";
import { terraformLiteral } from "../generate/encode.js";
import { GeneratedFile } from "./generated-file.js";

export interface EnvProps {
  ctx: EnvContext;
  stagingDir: string;
}

/** The probe, readiness and rotation-forecast jobs: crontab, Kubernetes CronJobs, one resource per job. */
export class HealthCheckSchedule extends Construct {
  constructor(scope: Construct, id: string, { ctx, stagingDir }: EnvProps) {
    super(scope, id);
    for (const job of jobs(ctx)) {
      new Resource(this, `job-${job.name}`, {
        triggers: {
          schedule: terraformLiteral(job.schedule),
          description: terraformLiteral(describeSchedule(job.schedule)),
          command: terraformLiteral(commandLine(ctx, job)),
          workdir: terraformLiteral(ctx.workdir),
        },
      });
    }
    new GeneratedFile(this, "crontab", {
      stagingDir,
      relativePath: "cron/crontab",
      content: crontab(ctx),
      kind: "crontab",
    });
    new GeneratedFile(this, "cronjobs", {
      stagingDir,
      relativePath: "kubernetes/cronjobs.yaml",
      content: kubernetesCronJobs(ctx),
      kind: "kubernetes-cronjobs",
    });
  }
}

/** Recording and alerting rules, and their promtool tests. */
export class AlertRules extends Construct {
  readonly alertCount: number;
  constructor(scope: Construct, id: string, { ctx, stagingDir }: EnvProps) {
    super(scope, id);
    this.alertCount = alertsFor(ctx).length;
    new GeneratedFile(this, "rules", {
      stagingDir,
      relativePath: "prometheus/rules.yml",
      content: rulesFile(ctx),
      kind: "prometheus-rules",
    });
    new GeneratedFile(this, "rule-tests", {
      stagingDir,
      relativePath: "prometheus/rules.test.yml",
      content: ruleTestsFile(ctx, "rules.yml"),
      kind: "promtool-tests",
    });
  }
}

/** Alertmanager routes, receivers and inhibit rules, with amtool routing expectations. */
export class AlertRouting extends Construct {
  constructor(scope: Construct, id: string, { ctx, stagingDir }: EnvProps) {
    super(scope, id);
    new GeneratedFile(this, "config", {
      stagingDir,
      relativePath: "alertmanager/alertmanager.yml",
      content: alertmanagerConfig(ctx),
      kind: "alertmanager-config",
    });
    new GeneratedFile(this, "route-tests", {
      stagingDir,
      relativePath: "alertmanager/route-tests.json",
      content: `${JSON.stringify(routeExpectations(ctx), null, 2)}\n`,
      kind: "amtool-route-tests",
    });
    new GeneratedFile(this, "route-test-script", {
      stagingDir,
      relativePath: "alertmanager/route-tests.sh",
      content: routeTestScript(ctx),
      kind: "amtool-route-tests",
    });
  }
}

/** What Prometheus scrapes: the probe textfile, blackbox modules and targets. */
export class ProbeTargets extends Construct {
  constructor(scope: Construct, id: string, { ctx, stagingDir }: EnvProps) {
    super(scope, id);
    new GeneratedFile(this, "prometheus", {
      stagingDir,
      relativePath: "prometheus/prometheus.yml",
      content: prometheusConfig(ctx, "rules.yml"),
      kind: "prometheus-config",
    });
    new GeneratedFile(this, "blackbox", {
      stagingDir,
      relativePath: "blackbox/blackbox.yml",
      content: blackboxConfig(ctx),
      kind: "blackbox-config",
    });
  }
}

/** Retry, backoff, breaker and budget per API, for application clients. */
export class ClientPolicies extends Construct {
  constructor(scope: Construct, id: string, { ctx, stagingDir }: EnvProps) {
    super(scope, id);
    new GeneratedFile(this, "summary", {
      stagingDir,
      relativePath: "client-policies.json",
      content: clientPolicies(ctx),
      kind: "client-policies",
    });
  }
}

/** The environment's Grafana dashboard and the provisioning that loads it with its Prometheus datasource. */
export class GrafanaDashboards extends Construct {
  constructor(scope: Construct, id: string, { ctx, stagingDir }: EnvProps) {
    super(scope, id);
    new GeneratedFile(this, "dashboard", {
      stagingDir,
      relativePath: GRAFANA_PATHS.dashboard(ctx.env),
      content: dashboardChunks(streamedDashboardSpec(ctx)),
      kind: "grafana-dashboard",
    });
    new GeneratedFile(this, "dashboard-provider", {
      stagingDir,
      relativePath: GRAFANA_PATHS.dashboards,
      content: dashboardProvisioning(ctx),
      kind: "grafana-provisioning",
    });
    new GeneratedFile(this, "datasource", {
      stagingDir,
      relativePath: GRAFANA_PATHS.datasources,
      content: datasourceProvisioning(ctx),
      kind: "grafana-provisioning",
    });
  }
}
