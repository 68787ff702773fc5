import { definePolicy } from "../types.js";
import { noOptions, secretSubject } from "../helpers.js";

export default definePolicy({
  id: "secret-unused",
  title: "Secret declared but used by no service",
  scorecard: { id: "secrets", category: "inventory" },
  category: "secrets",
  severity: "warning",
  rationale: "A secret nobody uses is still a secret that can leak; the inventory should match reality.",
  remediation: "Add it to the secrets list of the services that read it, or retire it.",
  options: noOptions,
  check({ model }, report) {
    const used = new Set<string>();
    for (const s of model.services.values()) for (const n of s.secrets) used.add(n);
    for (const w of model.webhooks.values()) if (w.signature) used.add(w.signature.secret);
    for (const c of model.channels.values()) if (c.secret) used.add(c.secret);
    for (const name of model.secrets.keys())
      if (!used.has(name))
        report({
          subject: secretSubject(name),
          message: "declared but no service, webhook or channel uses it",
          at: { section: "secrets", name },
        });
  },
});
