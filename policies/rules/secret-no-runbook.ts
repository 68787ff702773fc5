import { definePolicy } from "../types.js";
import { noOptions, secretSubject } from "../helpers.js";

export default definePolicy({
  id: "secret-no-runbook",
  title: "Secret has no runbook",
  category: "secrets",
  severity: "error",
  rationale: "An incident involving a leaked secret needs a written playbook, not improvisation.",
  remediation: "Link the incident-response runbook in runbook.",
  options: noOptions,
  check({ model }, report) {
    for (const [name, s] of model.secrets) {
      const v = s.runbook;
      if (v === undefined || (Array.isArray(v) && v.length === 0)) report({ subject: secretSubject(name), message: "no runbook (incident-response playbook)", at: { section: "secrets", name, path: ["runbook"] } });
    }
  },
});
