import { requireSecretField } from "../helpers.js";

export default requireSecretField(
  {
    id: "secret-no-readers",
    title: "Secret has no declared readers",
    scorecard: { id: "secrets", category: "access-control" },
    rationale: "Access control starts with knowing who may read a value.",
    remediation: "List the services and groups allowed to read it under readers.",
  },
  "readers",
  "no declared readers (access control)",
);
