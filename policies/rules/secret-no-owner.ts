import { requireSecretField } from "../helpers.js";

export default requireSecretField(
  {
    id: "secret-no-owner",
    title: "Secret has no owner",
    scorecard: { id: "secrets", category: "inventory" },
    rationale: "Someone must answer for every secret: rotate it, revoke it, explain it.",
    remediation: "Set owner to the team that answers for the secret.",
  },
  "owner",
  "no owner",
);
