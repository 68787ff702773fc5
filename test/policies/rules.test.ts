/**
 * A table per built-in policy: passing and failing cases over small manifests, run through the
 * same runner custom policies use (policies/testing.ts), each compared exactly: every finding's
 * ruleId, subject, message and model path, and no finding more or less.
 */
import { describe, expect, it } from "vitest";
import { BUILTIN_POLICIES } from "../../policies/registry.js";
import { matchesCase, runPolicyCase, sortCaseFindings, type PolicyCase } from "../../policies/testing.js";
import { fullSecret, org } from "./rule-tables/builders.js";
import { OTHER_TABLES } from "./rule-tables/others.js";
import { SECRET_TABLES } from "./rule-tables/secrets.js";

const TABLES: Record<string, Omit<PolicyCase, "name">[]> = { ...SECRET_TABLES, ...OTHER_TABLES };

describe("every built-in policy has a table with passing and failing cases", () => {
  it.each(BUILTIN_POLICIES.map((p) => ({ id: p.id })))("$id", ({ id }) => {
    const table = TABLES[id] as PolicyCase[] | undefined;
    expect(table, `no test table for ${id}`).toBeDefined();
    expect(table!.some((c) => c.expect.length === 0)).toBe(true);
    expect(table!.some((c) => c.expect.length > 0)).toBe(true);
  });
});

for (const policy of BUILTIN_POLICIES) {
  describe(policy.id, () => {
    const cases = (TABLES[policy.id] ?? []) as PolicyCase[];
    it.each(
      cases.map((c, i) => ({
        ...c,
        label: c.expect.length ? `fails: ${c.expect[0]!.subject}: ${c.expect[0]!.message}` : `passes (#${i + 1})`,
      })),
    )("$label", (c) => {
      const result = runPolicyCase(policy, c);
      expect(result.findings).toEqual(sortCaseFindings(c.expect));
      expect(matchesCase(result, c.expect)).toBe(true);
    });
  });
}

describe("the runner compares findings exactly", () => {
  const policy = BUILTIN_POLICIES.find((p) => p.id === "secret-no-owner")!;
  const failing = org({ secrets: { API_KEY: fullSecret({ owner: undefined }) } });
  const exact = {
    ruleId: "secret-no-owner",
    subject: "secret/API_KEY",
    message: "no owner",
    path: ["secrets", "API_KEY", "owner"],
  };

  it("accepts only the exact list: a fragment, another path, subject or rule, a missing or an extra finding all fail", () => {
    const result = runPolicyCase(policy, { manifest: failing });
    expect(matchesCase(result, [exact])).toBe(true);
    expect(matchesCase(result, [{ ...exact, message: "no own" }])).toBe(false);
    expect(matchesCase(result, [{ ...exact, path: ["secrets", "API_KEY"] }])).toBe(false);
    expect(matchesCase(result, [{ ...exact, subject: "secret/API_KEYS" }])).toBe(false);
    expect(matchesCase(result, [{ ...exact, ruleId: "secret-no-runbook" }])).toBe(false);
    expect(matchesCase(result, [])).toBe(false);
    expect(matchesCase(result, [exact, exact])).toBe(false);
  });

  it("given YAML text, each finding carries the line it is located at (the nearest existing key for a missing one)", () => {
    const yaml = [
      "environments:",
      "  staging: { deployed: true }",
      "services:",
      "  api: { kind: infra, owner: a, tier: low, secrets: [API_KEY] }",
      "secrets:",
      "  API_KEY:",
      "    service: api",
      "    requiredInProduction: false",
      "",
    ].join("\n");
    const result = runPolicyCase(policy, { manifest: yaml });
    expect(result.findings).toEqual([{ ...exact, line: 6 }]); // `API_KEY:`, as owner is missing
    expect(matchesCase(result, [exact])).toBe(false); // the line is part of the comparison
  });
});

describe("policy metadata", () => {
  it("ids are unique, stable kebab-case, and every policy explains itself", () => {
    const ids = BUILTIN_POLICIES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of BUILTIN_POLICIES) {
      expect(p.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(p.rationale.length).toBeGreaterThan(20);
      expect(p.remediation.length).toBeGreaterThan(10);
      expect(["secrets", "rate-limits", "webhooks", "monitoring"]).toContain(p.category);
    }
  });
});
