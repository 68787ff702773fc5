/**
 * The exporter path of an environment that uses it: Prometheus configs that probe through
 * `tollgate serve` (one per shard), the exporter-only alert with its promtool tests, and the exporter's Kubernetes Deployment and Service.
 */
import { Construct } from "constructs";
import { exporterPrometheusFiles } from "../generate/exporter-prometheus.js";
import { kubernetesExporter } from "../generate/exporter-kubernetes.js";
import { EXPORTER_RULES_FILE, exporterRuleTestsFile, exporterRulesFile } from "../generate/exporter-rules.js";
import { GeneratedFile } from "./generated-file.js";
import type { EnvContext } from "../generate/context.js";

export class ProbeExporter extends Construct {
  constructor(scope: Construct, id: string, { ctx, stagingDir }: { ctx: EnvContext; stagingDir: string }) {
    super(scope, id);
    for (const f of exporterPrometheusFiles(ctx, "rules.yml")) {
      new GeneratedFile(this, f.relativePath.replace(/[/.]/g, "-"), {
        stagingDir,
        relativePath: f.relativePath,
        content: f.content,
        kind: "prometheus-config",
      });
    }
    new GeneratedFile(this, "rules", {
      stagingDir,
      relativePath: `prometheus/${EXPORTER_RULES_FILE}`,
      content: exporterRulesFile(ctx),
      kind: "prometheus-rules",
    });
    new GeneratedFile(this, "rule-tests", {
      stagingDir,
      relativePath: `prometheus/${EXPORTER_RULES_FILE.replace(/\.yml$/, ".test.yml")}`,
      content: exporterRuleTestsFile(ctx),
      kind: "promtool-tests",
    });
    new GeneratedFile(this, "kubernetes", {
      stagingDir,
      relativePath: "kubernetes/exporter.yaml",
      content: kubernetesExporter(ctx),
      kind: "kubernetes-exporter",
    });
  }
}
