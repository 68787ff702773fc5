import { definePolicy } from "../types.js";
import { noOptions, secretSubject } from "../helpers.js";

export default definePolicy({
  id: "secret-no-verification",
  title: "Secret has no verification check",
  category: "secrets",
  severity: "error",
  rationale: "A rotated value that nobody tests fails at the worst moment.",
  remediation: "Describe how the stored value is tested under verification.check.",
  options: noOptions,
  check({ model }, report) {
    for (const [name, s] of model.secrets) {
      const v = s.verification;
      if (v === undefined || (Array.isArray(v) && v.length === 0)) report({ subject: secretSubject(name), message: "no verification check (testing procedure)", at: { section: "secrets", name, path: ["verification"] } });
    }
  },
});
