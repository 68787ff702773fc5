import { z } from "zod";
import { durationSeconds } from "../../model/duration.js";
import { definePolicy } from "../types.js";

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
      if (!w.timestampTolerance) report({ subject: `webhook/${name}`, message: "no timestamp tolerance (replay window unbounded)", at: { section: "webhooks", name } });
      else if (durationSeconds(w.timestampTolerance) > options.maxSeconds)
        report({ subject: `webhook/${name}`, message: `timestamp tolerance ${w.timestampTolerance} is above ${options.maxSeconds}s`, at: { section: "webhooks", name, path: ["timestampTolerance"] } });
    }
  },
});
