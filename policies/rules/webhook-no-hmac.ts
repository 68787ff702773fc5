import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "webhook-no-hmac",
  title: "Webhook without HMAC verification",
  scorecard: { id: "webhooks", category: "signature" },
  category: "webhooks",
  severity: "error",
  rationale: "An endpoint that does not verify signatures accepts forged events from anyone who finds the URL.",
  remediation: "Verify an HMAC-SHA256 signature over the raw body with a secret from the secrets manifest.",
  options: noOptions,
  check({ model }, report) {
    const declared = new Set([...model.webhooks.values()].map((w) => w.service));
    for (const [name, s] of model.services)
      if (s.kind === "webhook" && !declared.has(name))
        report({
          subject: subjectOf("services", name),
          message: "webhook endpoint has no security controls declared in webhooks:",
          at: { section: "services", name, path: ["kind"] },
        });
    for (const [name, w] of model.webhooks)
      if (!w.signature || w.signature.scheme === "none")
        report({
          subject: subjectOf("webhooks", name),
          message: "no HMAC signature verification",
          at: { section: "webhooks", name, path: w.signature ? ["signature", "scheme"] : [] },
        });
  },
});
