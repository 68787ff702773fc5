import { z } from "zod";
import { daysBetween } from "../../model/dates.js";
import { definePolicy } from "../types.js";
import { dueDate, placements, secretSubject } from "../helpers.js";
import { DEFAULT_ROTATION_WINDOW_DAYS } from "../../model/rotation-window.js";

export default definePolicy({
  id: "secret-rotation-due-soon",
  title: "Secret rotation due soon",
  scorecard: { id: "secrets", category: "rotation" },
  category: "secrets",
  severity: "warning",
  rationale: "Rotations planned ahead do not turn into outages or overdue secrets.",
  remediation: "Schedule the rotation before the due date.",
  options: z.strictObject({ windowDays: z.number().int().min(1).max(365).default(DEFAULT_ROTATION_WINDOW_DAYS) }),
  check({ model, now, environments, options }, report) {
    for (const [name, s] of model.secrets) {
      if (!s.rotationDays) continue;
      for (const [env, p] of placements(s, environments)) {
        if (!p.lastRotated) continue;
        const due = dueDate(p.lastRotated, s.rotationDays);
        const left = daysBetween(now, due);
        if (left >= 0 && left <= options.windowDays) {
          report({
            subject: secretSubject(name, env),
            date: due,
            message: `rotation due ${due}, in ${left} day${left === 1 ? "" : "s"}`,
            at: { section: "secrets", name, path: ["environments", env, "lastRotated"] },
          });
        }
      }
    }
  },
});
