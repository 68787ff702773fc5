import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "client-no-retry",
  title: "Client does not retry",
  scorecard: { id: "rate-limits", category: "retries" },
  category: "rate-limits",
  severity: "error",
  rationale:
    "Transient 429s and 5xx answers are normal for external APIs; a client without retries surfaces every one as a user-facing failure.",
  remediation: "Add client.retry with exponential backoff, full jitter and at most 3 attempts.",
  options: noOptions,
  check({ model }, report) {
    for (const [name, a] of model.apis)
      if (!a.client.retry)
        report({
          subject: subjectOf("apis", name),
          message: "no retry policy",
          at: { section: "apis", name, path: ["client"] },
        });
  },
});
