import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { alertCovers } from "../../model/alerts.js";

export default definePolicy({
  id: "service-no-alert-rule",
  title: "Service covered by no alert rule",
  category: "monitoring",
  severity: "warning",
  rationale: "Probing without alerting tells nobody when the service fails.",
  remediation: "Add an alert rule whose appliesTo covers the service.",
  options: noOptions,
  check({ model }, report) {
    for (const [name, s] of model.services) {
      const covered = [...model.alerts.values()].some((a) => (a.condition === "probe-failing" || a.condition === "mcp-tool-failing") && alertCovers(a, name, s));
      if (!covered) report({ subject: `service/${name}`, message: "no probe-failing alert rule covers this service", at: { section: "services", name } });
    }
  },
});
