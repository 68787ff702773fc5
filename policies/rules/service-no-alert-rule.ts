import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { alertCovers } from "../../model/alerts.js";
import { subjectOf } from "../../model/sections.js";

/** Conditions that fire when the service's probe fails, whatever the stage. */
export const FAILURE_CONDITIONS: ReadonlySet<string> = new Set(["probe-failing", "success-rate-below"]);

export default definePolicy({
  id: "service-no-alert-rule",
  title: "Service covered by no failure alert",
  scorecard: { id: "monitoring", category: "alert-coverage" },
  category: "monitoring",
  severity: "warning",
  rationale:
    "Probing without alerting tells nobody when the service fails. Only rules that fire on a failing probe count: latency, cost or tool-stage alerts stay silent when the service is down.",
  remediation: "Add a probe-failing (or success-rate-below) alert rule whose appliesTo covers the service.",
  options: noOptions,
  check({ model }, report) {
    for (const [name, s] of model.services) {
      const covered = [...model.alerts.values()].some(
        (a) => FAILURE_CONDITIONS.has(a.condition) && alertCovers(a, name, s),
      );
      if (!covered)
        report({
          subject: subjectOf("services", name),
          message: "no probe-failing or success-rate-below alert rule covers this service",
          at: { section: "services", name },
        });
    }
  },
});
