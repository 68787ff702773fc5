// The test table for critical-service-runbook.mjs: passing and failing cases, each finding
// compared exactly ({ ruleId, subject, message, path }, plus line for YAML text). Files named
// *.test.mjs in the custom policy folder are not loaded as policies. Run it with the exported
// runner in any test framework (Tollgate's own suite does, in test/policies/custom.test.ts):
//   for (const c of cases) assert.deepEqual(runPolicyCase(policy, c).findings, sortCaseFindings(c.expect), c.name);
const base = { environments: { production: { production: true, deployed: true } } };
const service = (tier, runbook) => ({ kind: "infra", owner: "a", tier, ...(runbook ? { runbook } : {}) });

export const cases = [
  {
    name: "a critical service with a runbook passes",
    manifest: { ...base, services: { db: service("critical", "https://rb.example") } },
    expect: [],
  },
  { name: "a low-tier service needs none", manifest: { ...base, services: { db: service("low") } }, expect: [] },
  {
    name: "a critical service without a runbook fails, pointing at its tier",
    manifest: { ...base, services: { db: service("critical") } },
    expect: [
      {
        ruleId: "critical-service-runbook",
        subject: "service/db",
        message: "critical service has no runbook",
        path: ["services", "db", "tier"],
      },
    ],
  },
  {
    name: "options widen the tiers",
    manifest: { ...base, services: { db: service("critical"), cache: service("high") } },
    options: { tiers: ["critical", "high"] },
    expect: [
      {
        ruleId: "critical-service-runbook",
        subject: "service/cache",
        message: "high service has no runbook",
        path: ["services", "cache", "tier"],
      },
      {
        ruleId: "critical-service-runbook",
        subject: "service/db",
        message: "critical service has no runbook",
        path: ["services", "db", "tier"],
      },
    ],
  },
  {
    name: "given YAML text, findings carry their line",
    manifest: "services:\n  db:\n    kind: infra\n    owner: a\n    tier: critical\n",
    expect: [
      {
        ruleId: "critical-service-runbook",
        subject: "service/db",
        message: "critical service has no runbook",
        path: ["services", "db", "tier"],
        line: 5,
      },
    ],
  },
];
