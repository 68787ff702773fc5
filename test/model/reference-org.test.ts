/** The bundled HotDash organization models the domain brief faithfully; figures are computed. */
import { describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { NOW, REPO, runCli } from "../helpers/project.js";

describe("reference organization", async () => {
  const { project, diagnostics, ok } = await loadProject(REPO, { now: NOW });
  const m = project.model;

  it("validates cleanly", () => {
    expect(diagnostics).toEqual([]);
    expect(ok).toBe(true);
  });

  it("has the brief's 16 services in four groups", () => {
    const byKind = (k: string) =>
      [...m.services]
        .filter(([, s]) => s.kind === k)
        .map(([n]) => n)
        .sort();
    expect(m.services.size).toBe(16);
    expect(byKind("mcp")).toEqual([
      "context7-mcp",
      "fly-mcp",
      "github-mcp",
      "google-analytics-mcp",
      "llamaindex-rag-mcp",
      "shopify-dev-mcp",
      "supabase-mcp",
    ]);
    expect(byKind("http-api")).toEqual(["chatwoot", "google-analytics", "openai", "shopify-admin"]);
    expect(byKind("webhook")).toEqual(["chatwoot-webhooks", "shopify-webhooks"]);
    expect(byKind("infra")).toEqual(["fly", "redis", "supabase"]);
    expect([...m.services].filter(([, s]) => s.optional).map(([n]) => n)).toEqual(["fly-mcp"]);
  });

  it("has 15 secrets across 6 services, 12 required in production, per-service counts as in the brief", () => {
    const secrets = [...m.secrets.values()];
    expect(secrets.length).toBe(15);
    expect(secrets.filter((s) => s.requiredInProduction).length).toBe(12);
    const per = new Map<string, [number, number]>();
    for (const s of secrets) {
      const [n, r] = per.get(s.service) ?? [0, 0];
      per.set(s.service, [n + 1, r + (s.requiredInProduction ? 1 : 0)]);
    }
    expect(Object.fromEntries(per)).toEqual({
      "shopify-admin": [6, 4],
      chatwoot: [4, 3],
      supabase: [2, 2],
      "google-analytics": [1, 1],
      openai: [1, 1],
      fly: [1, 1],
    });
    const periods = secrets.map((s) => s.rotationDays!);
    expect(Math.min(...periods)).toBe(90);
    expect(Math.max(...periods)).toBe(365);
  });

  it("models the RAG server's three tools and its smoke call", () => {
    const rag = m.services.get("llamaindex-rag-mcp")!;
    expect(rag.healthCheck?.mcp?.requiredTools).toEqual(["query_support", "refresh_index", "insight_report"]);
    expect(rag.healthCheck?.mcp?.smoke?.tool).toBe("query_support");
    expect(rag.endpoints.production?.health).toBeDefined();
  });

  it("uses only reserved .example hostnames", () => {
    for (const s of m.services.values())
      for (const e of Object.values(s.endpoints))
        for (const u of [e.url, e.health].filter(Boolean)) expect(new URL(u!).hostname.endsWith(".example")).toBe(true);
  });

  it("has production not deployed and staging deployed", () => {
    expect(m.environments.get("production")).toMatchObject({ production: true, deployed: false });
    expect(m.environments.get("staging")).toMatchObject({ production: false, deployed: true });
  });

  it("`tollgate validate` exits 0 on it", async () => {
    const r = await runCli(["validate", "--now", NOW]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("16 services, 15 secrets");
  });
});

describe("docs/diagnostics.md", () => {
  it("documents every diagnostic code", async () => {
    const { readFileSync } = await import("node:fs");
    const { DIAGNOSTIC_CODES } = await import("../../model/diagnostics.js");
    const doc = readFileSync(`${REPO}/docs/diagnostics.md`, "utf8");
    for (const code of Object.keys(DIAGNOSTIC_CODES)) expect(doc).toContain(`| \`${code}\` |`);
  });
});

describe("docs/policies.md", () => {
  it("documents every built-in policy", async () => {
    const { readFileSync } = await import("node:fs");
    const { BUILTIN_POLICIES } = await import("../../policies/registry.js");
    const doc = readFileSync(`${REPO}/docs/policies.md`, "utf8");
    for (const p of BUILTIN_POLICIES) expect(doc).toContain(`| \`${p.id}\` |`);
  });
});
