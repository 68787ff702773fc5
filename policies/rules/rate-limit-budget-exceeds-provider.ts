import { z } from "zod";
import { definePolicy } from "../types.js";
import { perSecond } from "../helpers.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "rate-limit-budget-exceeds-provider",
  title: "Client budget above the provider limit",
  scorecard: { id: "rate-limits", category: "budget" },
  category: "rate-limits",
  severity: "error",
  rationale:
    "A client allowed to send more than the provider accepts turns load into 429s; a safety margin absorbs bursts and other callers.",
  remediation:
    "Lower the client budget to at most the provider limit minus the safety margin, or declare a budget if none exists.",
  options: z.strictObject({ safetyMargin: z.number().min(0).max(0.9).default(0.1) }),
  check({ model, options }, report) {
    const factor = 1 - options.safetyMargin;
    for (const [name, a] of model.apis) {
      const subject = subjectOf("apis", name);
      const budget = a.client.budget;
      const pairs = [
        ["requests", a.provider.requests, budget?.requests],
        ["tokens", a.provider.tokens, budget?.tokens],
      ] as const;
      for (const [dim, limit, ours] of pairs) {
        if (!limit) continue;
        if (!ours) {
          report({
            subject,
            key: dim,
            message: `no client budget for ${dim} (provider allows ${limit.limit}/${limit.per})`,
            at: { section: "apis", name, path: ["client"] },
          });
          continue;
        }
        const allowed = perSecond(limit) * factor;
        if (perSecond(ours) > allowed + 1e-9)
          report({
            subject,
            key: dim,
            message: `${dim} budget ${ours.limit}/${ours.per} exceeds the provider's ${limit.limit}/${limit.per} less ${Math.round(options.safetyMargin * 100)}% margin`,
            at: { section: "apis", name, path: ["client", "budget", dim] },
          });
      }
      if (a.provider.concurrency) {
        const c = budget?.concurrency;
        if (c === undefined)
          report({
            subject,
            key: "concurrency",
            message: `no client concurrency budget (provider allows ${a.provider.concurrency})`,
            at: { section: "apis", name, path: ["client"] },
          });
        else if (c > a.provider.concurrency * factor + 1e-9)
          report({
            subject,
            key: "concurrency",
            message: `concurrency budget ${c} exceeds the provider's ${a.provider.concurrency} less ${Math.round(options.safetyMargin * 100)}% margin`,
            at: { section: "apis", name, path: ["client", "budget", "concurrency"] },
          });
      }
    }
  },
});
