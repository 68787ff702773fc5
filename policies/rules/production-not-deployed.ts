import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "production-not-deployed",
  title: "Production environment not deployed",
  scorecard: { id: "secrets", category: "production-deployed" },
  category: "secrets",
  severity: "error",
  rationale: "Secrets are only production-ready once the environment that holds them exists and serves traffic.",
  remediation: "Declare the production environment (production: true), deploy it, then set deployed: true on it.",
  options: noOptions,
  check({ model, production }, report) {
    if (!production) {
      // An estate without production is not production-ready: the category fails, it is not n/a.
      report({
        subject: "estate/production",
        message: "no environment is marked production: true",
        at: { section: "environments", name: model.environments.keys().next().value ?? "" },
      });
      return;
    }
    const env = model.environments.get(production);
    if (env && !env.deployed)
      report({
        subject: subjectOf("environments", production),
        message: `${production} is marked deployed: false`,
        at: { section: "environments", name: production, path: ["deployed"] },
      });
  },
});
