import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "webhook-tls-min-version",
  title: "Webhook accepts TLS below 1.2",
  scorecard: { id: "webhooks", category: "transport" },
  category: "webhooks",
  severity: "error",
  rationale: "TLS 1.0 and 1.1 are deprecated (RFC 8996) and broken in practice.",
  remediation: "Set tls.minVersion to 1.2 or 1.3 and enforce it at the edge.",
  options: noOptions,
  check({ model }, report) {
    for (const [name, w] of model.webhooks) {
      if (!w.tls)
        report({
          subject: subjectOf("webhooks", name),
          message: "no minimum TLS version declared",
          at: { section: "webhooks", name },
        });
      else if (w.tls.minVersion < "1.2")
        report({
          subject: subjectOf("webhooks", name),
          message: `minimum TLS version ${w.tls.minVersion} is below 1.2`,
          at: { section: "webhooks", name, path: ["tls", "minVersion"] },
        });
    }
  },
});
