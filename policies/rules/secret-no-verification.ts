import { requireSecretField } from "../helpers.js";

export default requireSecretField(
  {
    id: "secret-no-verification",
    title: "Secret has no verification check",
    scorecard: { id: "secrets", category: "testing" },
    rationale: "A rotated value that nobody tests fails at the worst moment.",
    remediation: "Describe how the stored value is tested under verification.check.",
  },
  "verification",
  "no verification check (testing procedure)",
);
