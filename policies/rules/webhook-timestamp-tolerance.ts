import { z } from "zod";
import { PROFILES } from "@tollgate/webhooks";
import { durationSeconds } from "../../model/duration.js";
import { definePolicy } from "../types.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "webhook-timestamp-tolerance",
  title: "Webhook timestamp tolerance too wide",
  scorecard: { id: "webhooks", category: "replay" },
  category: "webhooks",
  severity: "error",
  rationale: "A wide (or missing) timestamp window lets a captured request be replayed long after it was sent.",
  remediation: "Reject requests whose timestamp is more than 5 minutes away from now.",
  options: z.strictObject({ maxSeconds: z.number().int().min(1).default(300) }),
  check({ model, options }, report) {
    for (const [name, w] of model.webhooks) {
      const scheme = w.signature?.scheme;
      const profile = scheme && scheme !== "none" && scheme !== "hmac-sha256" ? PROFILES[scheme] : undefined;
      // GitHub and Shopify sign no timestamp: there is no window to set, idempotency is the replay guard.
      if (profile && !profile.timestamp) continue;
      const seconds = w.timestampTolerance ? durationSeconds(w.timestampTolerance) : profile?.toleranceSeconds;
      if (seconds === undefined)
        report({
          subject: subjectOf("webhooks", name),
          message: "no timestamp tolerance (replay window unbounded)",
          at: { section: "webhooks", name },
        });
      else if (seconds > options.maxSeconds)
        report({
          subject: subjectOf("webhooks", name),
          message: `timestamp tolerance ${w.timestampTolerance} is above ${options.maxSeconds}s`,
          at: { section: "webhooks", name, path: ["timestampTolerance"] },
        });
    }
  },
});
