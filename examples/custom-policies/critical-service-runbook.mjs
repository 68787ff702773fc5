// A custom Tollgate policy: critical services must link a runbook.
// Loaded from the folder named by `customPolicies:` in tollgate.yaml. Same API as the built-ins.
import { definePolicy, z } from "tollgate";

export default definePolicy({
  id: "critical-service-runbook",
  title: "Critical service without a runbook",
  category: "monitoring",
  severity: "error",
  rationale: "Whoever is paged for a critical service needs its runbook at hand.",
  remediation: "Add runbook: <url> to the service.",
  options: z.strictObject({ tiers: z.array(z.string()).default(["critical"]) }),
  // Optional: count this policy in a scorecard category (new categories are created as needed).
  scorecard: { id: "monitoring", category: "runbooks", categoryTitle: "Critical services have runbooks" },
  check({ model, options }, report) {
    for (const [name, service] of model.services) {
      if (options.tiers.includes(service.tier) && !service.runbook) {
        report({
          subject: `service/${name}`,
          message: `${service.tier} service has no runbook`,
          at: { section: "services", name, path: ["tier"] },
        });
      }
    }
  },
});
