/**
 * docs/client.md's story for the reference organization: as declared today, 1 of 4 clients retries
 * and none is measured; with the docs' apis.yaml and createApiFetch, 4 of 4 retry a transient
 * failure, have a breaker and are measured. Each against the simulator of its provider.
 */
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { ApiError, type ApiPolicy, type ClientPolicyFile, createApiFetch } from "@tollgate/client";
import OpenAI from "openai";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../../../checks/simulate/server.js";
import { copyReferenceOrg, removeDir, runCli } from "../../../test/helpers/project.js";
import { REPO, policiesOf } from "./helpers/policies.js";
import { RecordingClock } from "./helpers/scripted.js";

const APIS = ["chatwoot", "google-analytics", "openai", "shopify-admin"];

/** The `# file: manifests/apis.yaml` block of docs/client.md. */
function docsApisYaml(): string {
  const doc = readFileSync(path.join(REPO, "docs", "client.md"), "utf8");
  const m = /```yaml\n(# file: manifests\/apis\.yaml\n[\s\S]*?)```/.exec(doc);
  if (!m?.[1]) throw new Error("docs/client.md has no apis.yaml block");
  return m[1];
}

/** One safe call per API through its client, with the provider failing the first request once (503). */
async function recovers(policies: ClientPolicyFile, api: string, registry: Registry): Promise<boolean> {
  let n = 0;
  const sim = await startSimulator({
    api,
    provider: (policies.apis[api] as ApiPolicy).provider,
    failureRate: 0.5,
    random: () => (n++ === 0 ? 0 : 0.9),
  });
  try {
    const f = createApiFetch({ policy: policies, api, registry, clock: new RecordingClock(), random: () => 0.5 });
    if (api === "openai") {
      const openai = new OpenAI({ apiKey: "sk-simulated", baseURL: `${sim.url}/v1`, fetch: f, maxRetries: 0 });
      return (
        (await openai.models.list().then(
          (page) => page.data.length > 0,
          () => false,
        )) && sim.stats.failed === 1
      );
    }
    const res = await f(
      `${sim.url}/${api === "shopify-admin" ? "admin/api/2025-10/shop.json" : "api/v1/metadata"}`,
    ).catch((e: unknown) => {
      expect(e).toBeInstanceOf(ApiError);
      return null;
    });
    return res?.status === 200 && sim.stats.failed === 1;
  } finally {
    await sim.close();
  }
}

let copy: string;
beforeAll(async () => {
  copy = await copyReferenceOrg();
});
afterAll(async () => {
  if (copy) await removeDir(copy);
});

describe("reference organization: from 1 of 4 to 4 of 4", () => {
  it("as declared today: 1 of 4 retries (shopify-admin), none has a breaker or metrics", async () => {
    const before = await policiesOf(copy);
    expect(APIS.filter((a) => before.apis[a]?.retry)).toEqual(["shopify-admin"]);
    expect(APIS.filter((a) => before.apis[a]?.circuitBreaker)).toEqual([]);
    expect(APIS.filter((a) => before.apis[a]?.metrics)).toEqual([]);
    const recovered: string[] = [];
    for (const api of APIS) if (await recovers(before, api, new Registry())) recovered.push(api);
    expect(recovered).toEqual(["shopify-admin"]);
  });

  it("with docs/client.md's apis.yaml: the client policies pass, and 4 of 4 retry, have a breaker and are measured", async () => {
    await writeFile(path.join(copy, "manifests", "apis.yaml"), docsApisYaml());
    const after = await policiesOf(copy);
    for (const api of APIS)
      expect(after.apis[api]).toMatchObject({
        retry: { maxAttempts: 3, jitter: "full" },
        circuitBreaker: { failureThreshold: 5 },
        metrics: true,
      });
    const r = await runCli(["check", "--root", copy, "--now", "2026-11-24", "--format", "json"]);
    const findings = (JSON.parse(r.stdout) as { findings: Array<{ ruleId: string; subject: string }> }).findings;
    expect(findings.filter((f) => /^client-/.test(f.ruleId) && APIS.some((a) => f.subject === `api/${a}`))).toEqual([]);

    const registry = new Registry();
    const recovered: string[] = [];
    for (const api of APIS) if (await recovers(after, api, registry)) recovered.push(api);
    expect(recovered).toEqual(APIS);
    const text = await registry.metrics();
    for (const api of APIS) {
      expect(text).toContain(`tollgate_client_retries_total{api="${api}"} 1`);
      expect(text).toContain(`tollgate_client_requests_total{api="${api}",status_class="5xx"} 1`);
      expect(text).toContain(`tollgate_client_requests_total{api="${api}",status_class="2xx"} 1`);
      expect(text).toContain(`tollgate_client_circuit_state{api="${api}"} 0`);
    }
  });
});
