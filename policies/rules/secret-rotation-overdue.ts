import { definePolicy } from "../types.js";
import { dueDate, noOptions, placements, secretSubject } from "../helpers.js";

export default definePolicy({
  id: "secret-rotation-overdue",
  title: "Secret rotation overdue",
  scorecard: { id: "secrets", category: "rotation" },
  category: "secrets",
  severity: "error",
  rationale: "A secret kept past its rotation period widens the window in which a leaked value stays usable.",
  remediation: "Rotate the secret, then update lastRotated for that environment.",
  options: noOptions,
  check({ model, now, environments }, report) {
    for (const [name, s] of model.secrets) {
      if (!s.rotationDays) continue;
      for (const [env, p] of placements(s, environments)) {
        if (!p.lastRotated) continue;
        const due = dueDate(p.lastRotated, s.rotationDays);
        if (due < now) {
          report({
            subject: secretSubject(name, env),
            date: due,
            message: `rotation was due ${due} (every ${s.rotationDays} days, last ${p.lastRotated})`,
            at: { section: "secrets", name, path: ["environments", env, "lastRotated"] },
          });
        }
      }
    }
  },
});
