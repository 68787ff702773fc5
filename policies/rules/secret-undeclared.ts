import { didYouMean } from "../../util/suggest.js";
import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "secret-undeclared",
  title: "Secret used but not declared",
  scorecard: { id: "secrets", category: "inventory" },
  category: "secrets",
  severity: "error",
  rationale: "A secret missing from the inventory has no owner, no rotation and no production plan.",
  remediation: "Declare it in secrets-manifest/ with its owner, rotation and placements.",
  options: noOptions,
  check({ model }, report) {
    for (const [svc, s] of model.services)
      s.secrets.forEach((name, i) => {
        if (!model.secrets.has(name)) {
          const hint = didYouMean(name, model.secrets.keys());
          report({
            subject: subjectOf("services", svc),
            key: name,
            message: `uses secret ${name}, which is not declared${hint ? ` (${hint})` : ""}`,
            at: { section: "services", name: svc, path: ["secrets", i] },
          });
        }
      });
  },
});
