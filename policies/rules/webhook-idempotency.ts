import { z } from "zod";
import { durationSeconds } from "../../model/duration.js";
import { definePolicy } from "../types.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "webhook-idempotency",
  title: "Webhook idempotency missing or too short",
  scorecard: { id: "webhooks", category: "replay" },
  category: "webhooks",
  severity: "error",
  rationale: "Providers redeliver; without idempotency keys kept long enough, one order becomes two.",
  remediation: "Store idempotency keys (e.g. in Redis) for at least 24 hours.",
  options: z.strictObject({ minTtlSeconds: z.number().int().min(1).default(86_400) }),
  check({ model, options }, report) {
    for (const [name, w] of model.webhooks) {
      if (!w.idempotency)
        report({
          subject: subjectOf("webhooks", name),
          message: "no idempotency store",
          at: { section: "webhooks", name },
        });
      else if (durationSeconds(w.idempotency.ttl) < options.minTtlSeconds)
        report({
          subject: subjectOf("webhooks", name),
          message: `idempotency keys kept ${w.idempotency.ttl}, under ${options.minTtlSeconds / 3600}h`,
          at: { section: "webhooks", name, path: ["idempotency", "ttl"] },
        });
    }
  },
});
