import { definePolicy } from "../types.js";
import { noOptions, secretSubject } from "../helpers.js";

export default definePolicy({
  id: "secret-missing-in-production",
  title: "Required secret missing from production",
  scorecard: { id: "secrets", category: "production-mirroring" },
  category: "secrets",
  severity: "error",
  rationale:
    "A secret required in production that was never generated there blocks the first deploy, or worse, gets copied from staging.",
  remediation:
    "Generate a production-only value, store it, and add the production placement with its ref and lastRotated.",
  options: noOptions,
  check({ model, production, environments }, report) {
    if (!production) {
      // Nothing can be mirrored into a production that does not exist: not production-ready.
      report({
        subject: "estate/production",
        message: "no environment is marked production: true, so no secret is placed in production",
        at: { section: "environments", name: model.environments.keys().next().value ?? "" },
      });
      return;
    }
    if (!environments.includes(production)) return;
    for (const [name, s] of model.secrets)
      if (s.requiredInProduction && !s.environments[production])
        report({
          subject: secretSubject(name, production),
          message: `required in production but not present in ${production}`,
          at: { section: "secrets", name, path: ["environments", production] },
        });
  },
});
