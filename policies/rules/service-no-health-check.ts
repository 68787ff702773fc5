import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "service-no-health-check",
  title: "Service without a health check",
  scorecard: { id: "monitoring", category: "health-checks" },
  category: "monitoring",
  severity: "error",
  rationale: "A service nobody probes fails silently.",
  remediation: "Add healthCheck and an endpoint for every environment the service runs in.",
  options: noOptions,
  check({ model, environments }, report) {
    for (const [name, s] of model.services) {
      if (!s.healthCheck) {
        report({ subject: subjectOf("services", name), message: "no healthCheck", at: { section: "services", name } });
        continue;
      }
      for (const env of environments) {
        const e = s.endpoints[env];
        if (!e || (!e.url && !e.health && !e.command))
          report({
            subject: subjectOf("services", name, env),
            message: `no endpoint to probe in ${env}`,
            at: { section: "services", name, path: ["endpoints"] },
          });
      }
    }
  },
});
