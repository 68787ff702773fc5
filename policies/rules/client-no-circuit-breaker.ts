import { z } from "zod";
import { definePolicy } from "../types.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "client-no-circuit-breaker",
  title: "No circuit breaker",
  scorecard: { id: "rate-limits", category: "circuit-breaker" },
  category: "rate-limits",
  severity: "error",
  rationale:
    "Without a breaker a failing provider ties up every worker in timeouts; the breaker fails fast and lets it recover.",
  remediation: "Add client.circuitBreaker (team policy: open after 5 consecutive failures).",
  options: z.strictObject({ maxFailureThreshold: z.number().int().min(1).default(5) }),
  check({ model, options }, report) {
    for (const [name, a] of model.apis) {
      const b = a.client.circuitBreaker;
      if (!b)
        report({
          subject: subjectOf("apis", name),
          message: "no circuit breaker",
          at: { section: "apis", name, path: ["client"] },
        });
      else if (b.failureThreshold > options.maxFailureThreshold)
        report({
          subject: subjectOf("apis", name),
          message: `breaker opens only after ${b.failureThreshold} failures (at most ${options.maxFailureThreshold})`,
          at: { section: "apis", name, path: ["client", "circuitBreaker", "failureThreshold"] },
        });
    }
  },
});
