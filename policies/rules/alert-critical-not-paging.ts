import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { effectiveAlert, receiversFor } from "../../model/alerts.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "alert-critical-not-paging",
  title: "Critical alert that does not page",
  scorecard: { id: "monitoring", category: "paging" },
  category: "monitoring",
  severity: "error",
  rationale: "A critical alert that lands only in chat or email is read in the morning.",
  remediation: "Route critical severity to an enabled PagerDuty channel in every environment.",
  options: noOptions,
  check({ model, environments }, report) {
    for (const env of environments) {
      for (const [name] of model.alerts) {
        const a = effectiveAlert(model, name, env);
        if (!a || a.severity !== "critical") continue;
        const paging = receiversFor(model, env, "critical").some(([, c]) => c.type === "pagerduty");
        if (!paging)
          report({
            subject: subjectOf("alerts", name, env),
            message: `critical alert reaches no enabled PagerDuty channel in ${env}`,
            at: { section: "alerts", name, path: ["severity"] },
          });
      }
    }
  },
});
