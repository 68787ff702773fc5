import { z } from "zod";
import { definePolicy } from "../types.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "webhook-audit-retention",
  title: "Webhook audit log kept too briefly",
  scorecard: { id: "webhooks", category: "audit" },
  category: "webhooks",
  severity: "error",
  rationale: "Disputes and incidents are investigated weeks later; the audit log must still be there.",
  remediation: "Keep the webhook audit log for at least 90 days.",
  options: z.strictObject({ minDays: z.number().int().min(1).default(90) }),
  check({ model, options }, report) {
    for (const [name, w] of model.webhooks) {
      if (!w.auditLog)
        report({ subject: subjectOf("webhooks", name), message: "no audit log", at: { section: "webhooks", name } });
      else if (w.auditLog.retentionDays < options.minDays)
        report({
          subject: subjectOf("webhooks", name),
          message: `audit log kept ${w.auditLog.retentionDays} days, under ${options.minDays}`,
          at: { section: "webhooks", name, path: ["auditLog", "retentionDays"] },
        });
    }
  },
});
