/** Test tables of the secrets policies: passing and failing cases, findings compared exactly. */
import type { PolicyCase } from "../../../policies/testing.js";
import { fullSecret, hook, org, svc } from "./builders.js";

export const SECRET_TABLES: Record<string, Omit<PolicyCase, "name">[]> = {
  "secret-rotation-overdue": [
    { manifest: org(), expect: [] },
    {
      manifest: org({
        secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-08-01" } } }) },
      }),
      expect: [
        {
          ruleId: "secret-rotation-overdue",
          subject: "secret/API_KEY@staging",
          message: "rotation was due 2026-10-30 (every 90 days, last 2026-08-01)",
          path: ["secrets", "API_KEY", "environments", "staging", "lastRotated"],
        },
      ],
    },
    {
      manifest: org({
        secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-08-26" } } }) },
      }),
      expect: [],
    }, // due today is not overdue
    {
      manifest: org({
        secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-08-01" } } }) },
      }),
      env: "production",
      expect: [],
    },
  ],
  "secret-rotation-due-soon": [
    { manifest: org(), expect: [] },
    {
      manifest: org({
        secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-09-01" } } }) },
      }),
      expect: [
        {
          ruleId: "secret-rotation-due-soon",
          subject: "secret/API_KEY@staging",
          message: "rotation due 2026-11-30, in 6 days",
          path: ["secrets", "API_KEY", "environments", "staging", "lastRotated"],
        },
      ],
    },
    {
      manifest: org({
        secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-09-01" } } }) },
      }),
      options: { windowDays: 3 },
      expect: [],
    },
  ],
  "secret-rotation-missing-date": [
    { manifest: org(), expect: [] },
    {
      manifest: org({ secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v" } } }) } }),
      expect: [
        {
          ruleId: "secret-rotation-missing-date",
          subject: "secret/API_KEY@staging",
          message: "no lastRotated date",
          path: ["secrets", "API_KEY", "environments", "staging"],
        },
      ],
    },
  ],
  "secret-rotation-period": [
    { manifest: org(), expect: [] },
    {
      manifest: org({ secrets: { API_KEY: fullSecret({ rotationDays: undefined }) } }),
      expect: [
        {
          ruleId: "secret-rotation-period",
          subject: "secret/API_KEY",
          message: "no rotation period (rotationDays)",
          path: ["secrets", "API_KEY", "rotationDays"],
        },
      ],
    },
    {
      manifest: org({ secrets: { API_KEY: fullSecret({ rotationDays: 400 }) } }),
      expect: [
        {
          ruleId: "secret-rotation-period",
          subject: "secret/API_KEY",
          message: "rotation period 400 days is outside 30–365",
          path: ["secrets", "API_KEY", "rotationDays"],
        },
      ],
    },
    {
      manifest: org({ secrets: { API_KEY: fullSecret({ rotationDays: 400 }) } }),
      options: { maxDays: 400 },
      expect: [],
    },
  ],
  "secret-no-owner": [
    { manifest: org(), expect: [] },
    {
      manifest: org({ secrets: { API_KEY: fullSecret({ owner: undefined }) } }),
      expect: [
        {
          ruleId: "secret-no-owner",
          subject: "secret/API_KEY",
          message: "no owner",
          path: ["secrets", "API_KEY", "owner"],
        },
      ],
    },
  ],
  "secret-no-runbook": [
    { manifest: org(), expect: [] },
    {
      manifest: org({ secrets: { API_KEY: fullSecret({ runbook: undefined }) } }),
      expect: [
        {
          ruleId: "secret-no-runbook",
          subject: "secret/API_KEY",
          message: "no runbook (incident-response playbook)",
          path: ["secrets", "API_KEY", "runbook"],
        },
      ],
    },
  ],
  "secret-no-readers": [
    { manifest: org(), expect: [] },
    {
      manifest: org({ secrets: { API_KEY: fullSecret({ readers: [] }) } }),
      expect: [
        {
          ruleId: "secret-no-readers",
          subject: "secret/API_KEY",
          message: "no declared readers (access control)",
          path: ["secrets", "API_KEY", "readers"],
        },
      ],
    },
  ],
  "secret-no-verification": [
    { manifest: org(), expect: [] },
    {
      manifest: org({ secrets: { API_KEY: fullSecret({ verification: undefined }) } }),
      expect: [
        {
          ruleId: "secret-no-verification",
          subject: "secret/API_KEY",
          message: "no verification check (testing procedure)",
          path: ["secrets", "API_KEY", "verification"],
        },
      ],
    },
  ],
  "secret-missing-in-production": [
    { manifest: org(), expect: [] },
    {
      manifest: org({
        secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) },
      }),
      expect: [
        {
          ruleId: "secret-missing-in-production",
          subject: "secret/API_KEY@production",
          message: "required in production but not present in production",
          path: ["secrets", "API_KEY", "environments", "production"],
        },
      ],
    },
    {
      manifest: org({ secrets: { API_KEY: fullSecret({ requiredInProduction: false, environments: {} }) } }),
      expect: [],
    },
    { manifest: org({ secrets: { API_KEY: fullSecret({ environments: {} }) } }), env: "staging", expect: [] },
    // No production environment at all: nothing is placed in production, so the category fails.
    {
      manifest: org({
        environments: { staging: { deployed: true } },
        secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) },
      }),
      expect: [
        {
          ruleId: "secret-missing-in-production",
          subject: "estate/production",
          message: "no environment is marked production: true, so no secret is placed in production",
          path: ["environments", "staging"],
        },
      ],
    },
  ],
  "secret-not-mirrored": [
    { manifest: org(), expect: [] },
    {
      manifest: org({
        secrets: {
          API_KEY: fullSecret({
            requiredInProduction: false,
            environments: { staging: { ref: "v", lastRotated: "2026-10-01" } },
          }),
        },
      }),
      expect: [
        {
          ruleId: "secret-not-mirrored",
          subject: "secret/API_KEY@production",
          message: "present in staging but not in production",
          path: ["secrets", "API_KEY", "environments"],
        },
      ],
    },
    {
      manifest: org({
        secrets: { API_KEY: fullSecret({ environments: { staging: { ref: "v", lastRotated: "2026-10-01" } } }) },
      }),
      expect: [],
    }, // required: the other rule's job
  ],
  "secret-unused": [
    { manifest: org(), expect: [] },
    {
      manifest: org({ services: { api: svc() } }),
      expect: [
        {
          ruleId: "secret-unused",
          subject: "secret/API_KEY",
          message: "declared but no service, webhook or channel uses it",
          path: ["secrets", "API_KEY"],
        },
      ],
    },
    { manifest: hook(), expect: [] },
  ],
  "secret-undeclared": [
    { manifest: org(), expect: [] },
    {
      manifest: org({ services: { api: svc({ secrets: ["API_KEY", "API_KEYS"] }) } }),
      expect: [
        {
          ruleId: "secret-undeclared",
          subject: "service/api",
          message: "uses secret API_KEYS, which is not declared (did you mean `API_KEY`?)",
          path: ["services", "api", "secrets", 1],
        },
      ],
    },
  ],
  "production-not-deployed": [
    { manifest: org(), expect: [] },
    {
      manifest: org({ environments: { staging: { deployed: true } } }),
      expect: [
        {
          ruleId: "production-not-deployed",
          subject: "estate/production",
          message: "no environment is marked production: true",
          path: ["environments", "staging"],
        },
      ],
    },
    {
      manifest: org({
        environments: { staging: { deployed: true }, production: { production: true, deployed: false } },
      }),
      expect: [
        {
          ruleId: "production-not-deployed",
          subject: "environment/production",
          message: "production is marked deployed: false",
          path: ["environments", "production", "deployed"],
        },
      ],
    },
  ],
};
