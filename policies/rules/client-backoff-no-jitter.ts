import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "client-backoff-no-jitter",
  title: "Backoff without jitter",
  scorecard: { id: "rate-limits", category: "retries" },
  category: "rate-limits",
  severity: "error",
  rationale: "Clients that back off in lock-step retry in synchronized waves and knock the provider over again.",
  remediation: "Use exponential backoff with jitter (full jitter is a good default).",
  options: noOptions,
  check({ model }, report) {
    for (const [name, a] of model.apis) {
      const r = a.client.retry;
      if (!r) continue;
      if (r.jitter === "none")
        report({
          subject: subjectOf("apis", name),
          key: "jitter",
          message: "retries back off without jitter",
          at: { section: "apis", name, path: ["client", "retry", "jitter"] },
        });
      if (r.backoff !== "exponential")
        report({
          subject: subjectOf("apis", name),
          key: "backoff",
          message: `backoff is ${r.backoff}, not exponential`,
          at: { section: "apis", name, path: ["client", "retry", "backoff"] },
        });
    }
  },
});
