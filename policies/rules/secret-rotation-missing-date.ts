import { definePolicy } from "../types.js";
import { noOptions, placements, secretSubject } from "../helpers.js";

export default definePolicy({
  id: "secret-rotation-missing-date",
  title: "Secret has no last-rotated date",
  scorecard: { id: "secrets", category: "rotation" },
  category: "secrets",
  severity: "error",
  rationale: "Without a last-rotated date nobody can tell whether the secret is overdue.",
  remediation: "Record lastRotated (YYYY-MM-DD) for every environment that holds the secret.",
  options: noOptions,
  check({ model, environments }, report) {
    for (const [name, s] of model.secrets)
      for (const [env, p] of placements(s, environments))
        if (!p.lastRotated)
          report({
            subject: secretSubject(name, env),
            message: "no lastRotated date",
            at: { section: "secrets", name, path: ["environments", env] },
          });
  },
});
