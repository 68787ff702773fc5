import { z } from "zod";
import { definePolicy } from "../types.js";
import { secretSubject } from "../helpers.js";

export default definePolicy({
  id: "secret-rotation-period",
  title: "Rotation period missing or out of range",
  scorecard: { id: "secrets", category: "rotation" },
  category: "secrets",
  severity: "error",
  rationale:
    "Every secret needs a rotation schedule, neither so short that it is ignored nor so long that it is meaningless.",
  remediation: "Set rotationDays within the allowed range.",
  options: z.strictObject({
    minDays: z.number().int().min(1).default(30),
    maxDays: z.number().int().min(1).default(365),
  }),
  check({ model, options }, report) {
    for (const [name, s] of model.secrets) {
      const at = { section: "secrets" as const, name, path: ["rotationDays"] };
      if (s.rotationDays === undefined)
        report({ subject: secretSubject(name), message: "no rotation period (rotationDays)", at });
      else if (s.rotationDays < options.minDays || s.rotationDays > options.maxDays)
        report({
          subject: secretSubject(name),
          message: `rotation period ${s.rotationDays} days is outside ${options.minDays}–${options.maxDays}`,
          at,
        });
    }
  },
});
