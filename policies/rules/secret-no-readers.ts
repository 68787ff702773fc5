import { definePolicy } from "../types.js";
import { noOptions, secretSubject } from "../helpers.js";

export default definePolicy({
  id: "secret-no-readers",
  title: "Secret has no declared readers",
  category: "secrets",
  severity: "error",
  rationale: "Access control starts with knowing who may read a value.",
  remediation: "List the services and groups allowed to read it under readers.",
  options: noOptions,
  check({ model }, report) {
    for (const [name, s] of model.secrets) {
      const v = s.readers;
      if (v === undefined || (Array.isArray(v) && v.length === 0)) report({ subject: secretSubject(name), message: "no declared readers (access control)", at: { section: "secrets", name, path: ["readers"] } });
    }
  },
});
