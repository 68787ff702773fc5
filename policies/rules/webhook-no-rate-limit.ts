import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "webhook-no-rate-limit",
  title: "Webhook without per-source rate limit",
  scorecard: { id: "webhooks", category: "abuse" },
  category: "webhooks",
  severity: "error",
  rationale: "A public endpoint without per-source limits is a cheap way to exhaust workers and the idempotency store.",
  remediation: "Declare rateLimits.perSource (team policy: 10/s and 100/min).",
  options: noOptions,
  check({ model }, report) {
    for (const [name, w] of model.webhooks)
      if (!w.rateLimits || w.rateLimits.perSource.length === 0)
        report({
          subject: subjectOf("webhooks", name),
          message: "no per-source rate limit",
          at: { section: "webhooks", name },
        });
  },
});
