import { requireSecretField } from "../helpers.js";

export default requireSecretField(
  {
    id: "secret-no-runbook",
    title: "Secret has no runbook",
    scorecard: { id: "secrets", category: "incident-response" },
    rationale: "An incident involving a leaked secret needs a written playbook, not improvisation.",
    remediation: "Link the incident-response runbook in runbook.",
  },
  "runbook",
  "no runbook (incident-response playbook)",
);
