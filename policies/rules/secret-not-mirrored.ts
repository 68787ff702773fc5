import { definePolicy } from "../types.js";
import { noOptions, secretSubject } from "../helpers.js";

export default definePolicy({
  id: "secret-not-mirrored",
  title: "Secret present outside production but absent from it",
  scorecard: { id: "secrets", category: "production-mirroring" },
  category: "secrets",
  severity: "warning",
  rationale:
    "Environments drift apart when a secret exists in staging only; production mirroring should be a decision, not an accident.",
  remediation: "Add the production placement, or document why production does not need it.",
  options: noOptions,
  check({ model, production, environments }, report) {
    if (!production || !environments.includes(production)) return;
    for (const [name, s] of model.secrets) {
      // Required secrets are covered by secret-missing-in-production.
      if (s.requiredInProduction || s.environments[production]) continue;
      const elsewhere = Object.keys(s.environments).filter((e) => e !== production);
      if (elsewhere.length > 0)
        report({
          subject: secretSubject(name, production),
          message: `present in ${elsewhere.join(", ")} but not in ${production}`,
          at: { section: "secrets", name, path: ["environments"] },
        });
    }
  },
});
