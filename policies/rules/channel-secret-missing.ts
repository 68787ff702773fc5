import { definePolicy } from "../types.js";
import { noOptions } from "../helpers.js";
import { channelEnabled } from "../../model/alerts.js";
import { subjectOf } from "../../model/sections.js";

export default definePolicy({
  id: "channel-secret-missing",
  title: "Alert channel's secret missing in an environment",
  scorecard: { id: "monitoring", category: "channels" },
  category: "monitoring",
  severity: "error",
  rationale: "A receiver whose credential is not provisioned drops every alert it is sent.",
  remediation: "Provision the channel's secret in that environment, or disable the channel there.",
  options: noOptions,
  check({ model, environments }, report) {
    for (const [name, c] of model.channels) {
      if (!c.secret) continue;
      const secret = model.secrets.get(c.secret);
      for (const env of environments) {
        if (!channelEnabled(model, name, env)) continue;
        if (!secret?.environments[env])
          report({
            subject: subjectOf("channels", name, env),
            message: `secret ${c.secret} is not present in ${env}`,
            at: { section: "channels", name, path: ["secret"] },
          });
      }
    }
  },
});
