import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { subjectOf } from "../../model/sections.js";

/** Projected monthly spend from the declared volume and unit price. */
export function projectedMonthlyCost(cost: { monthlyVolume: number; unitPriceUsd: number }): number {
  return Math.round(cost.monthlyVolume * cost.unitPriceUsd * 100) / 100;
}

export default definePolicy({
  id: "api-cost-over-budget",
  title: "Projected API cost over budget",
  scorecard: { id: "rate-limits", category: "cost" },
  category: "rate-limits",
  severity: "error",
  rationale:
    "Usage-priced APIs fail financially before they fail technically; the projection should stay under the budget.",
  remediation: "Reduce volume (caching, smaller models) or raise monthlyBudgetUsd with sign-off.",
  options: noOptions,
  check({ model }, report) {
    for (const [name, a] of model.apis) {
      if (!a.cost || a.cost.monthlyBudgetUsd === undefined) continue;
      const projected = projectedMonthlyCost(a.cost);
      if (projected > a.cost.monthlyBudgetUsd)
        report({
          subject: subjectOf("apis", name),
          message: `projected $${projected.toFixed(2)}/month exceeds the $${a.cost.monthlyBudgetUsd.toFixed(2)} budget`,
          at: { section: "apis", name, path: ["cost", "monthlyBudgetUsd"] },
        });
    }
  },
});
