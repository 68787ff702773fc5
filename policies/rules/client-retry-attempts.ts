import { z } from "zod";
import { definePolicy } from "../types.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "client-retry-attempts",
  title: "Too many retry attempts",
  scorecard: { id: "rate-limits", category: "retries" },
  category: "rate-limits",
  severity: "error",
  rationale:
    "Retries multiply load on a provider that is already failing; past a few attempts they only prolong the outage.",
  remediation: "Cap retry.maxAttempts (team policy: 3).",
  options: z.strictObject({ maxAttempts: z.number().int().min(1).default(3) }),
  check({ model, options }, report) {
    for (const [name, a] of model.apis) {
      const r = a.client.retry;
      if (r && r.maxAttempts > options.maxAttempts)
        report({
          subject: subjectOf("apis", name),
          message: `retries up to ${r.maxAttempts} attempts (at most ${options.maxAttempts})`,
          at: { section: "apis", name, path: ["client", "retry", "maxAttempts"] },
        });
    }
  },
});
