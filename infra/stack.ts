/** One TerraformStack per environment. */
import { LocalBackend, TerraformOutput, TerraformStack } from "cdktf";
import { NullProvider } from "@cdktf/provider-null/lib/provider/index.js";
import { Resource } from "@cdktf/provider-null/lib/resource/index.js";
import type { Construct } from "constructs";
import type { EnvContext } from "./generate/context.js";
import { terraformLiteral } from "./generate/encode.js";
import { ProbeExporter } from "./constructs/probe-exporter.js";
import {
  AlertRouting,
  AlertRules,
  ClientPolicies,
  GrafanaDashboards,
  HealthCheckSchedule,
  ProbeTargets,
} from "./constructs/index.js";

export interface GateOverride {
  reason: string;
  failing: string[];
  now?: string;
}

export interface EnvironmentStackProps {
  ctx: EnvContext;
  stagingDir: string;
  override?: GateOverride;
}

export class EnvironmentStack extends TerraformStack {
  constructor(scope: Construct, id: string, { ctx, stagingDir, override }: EnvironmentStackProps) {
    super(scope, id);
    // A relative state path keeps the synthesized JSON identical wherever it is generated.
    new LocalBackend(this, { path: `terraform.${ctx.env}.tfstate` });
    new NullProvider(this, "null");
    const props = { ctx, stagingDir };
    new HealthCheckSchedule(this, "health-check-schedule", props);
    const rules = new AlertRules(this, "alert-rules", props);
    new AlertRouting(this, "alert-routing", props);
    new ProbeTargets(this, "probe-targets", props);
    if (ctx.exporter) new ProbeExporter(this, "probe-exporter", props);
    new ClientPolicies(this, "client-policies", props);
    new GrafanaDashboards(this, "grafana", props);
    new TerraformOutput(this, "alert_rule_count", { value: rules.alertCount });
    if (override) {
      // Recorded where reviewers look: the plan shows the override and its reason.
      // The reason is free text: Terraform would read `${…}` in it as an expression (encode.ts).
      new Resource(this, "production-gate-override", {
        triggers: {
          reason: terraformLiteral(override.reason),
          failing: terraformLiteral(override.failing.join(", ")),
          ...(override.now ? { now: override.now } : {}),
        },
      });
      new TerraformOutput(this, "production_gate_override", { value: terraformLiteral(override.reason) });
    }
  }
}
