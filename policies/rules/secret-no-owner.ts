import { definePolicy } from "../types.js";
import { noOptions, secretSubject } from "../helpers.js";

export default definePolicy({
  id: "secret-no-owner",
  title: "Secret has no owner",
  category: "secrets",
  severity: "error",
  rationale: "Someone must answer for every secret: rotate it, revoke it, explain it.",
  remediation: "Set owner to the team that answers for the secret.",
  options: noOptions,
  check({ model }, report) {
    for (const [name, s] of model.secrets) {
      const v = s.owner;
      if (v === undefined || (Array.isArray(v) && v.length === 0)) report({ subject: secretSubject(name), message: "no owner", at: { section: "secrets", name, path: ["owner"] } });
    }
  },
});
