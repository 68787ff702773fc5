/** `client.metricsEndpoint` is validated like every manifest field: http(s) without credentials, declared environments. */
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyReferenceOrg, removeDir, runCli } from "../helpers/project.js";
import { editYaml } from "../helpers/yaml-edit.js";

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map(removeDir)));

async function withEndpoints(openai: Record<string, string>, chatwoot?: Record<string, string>): Promise<string> {
  const dir = await copyReferenceOrg();
  dirs.push(dir);
  await editYaml(path.join(dir, "manifests/apis.yaml"), (doc) => {
    doc.setIn(["apis", "openai", "client", "metricsEndpoint"], doc.createNode(openai));
    if (chatwoot) doc.setIn(["apis", "chatwoot", "client", "metricsEndpoint"], doc.createNode(chatwoot));
  });
  return dir;
}

const located = (stderr: string) => stderr.split("\n").filter((l) => /^manifests\/apis\.yaml:\d+:\d+ /.test(l));

describe("client.metricsEndpoint", () => {
  it("refuses a URL with credentials or another scheme, every problem at once, never echoing the credential", async () => {
    const dir = await withEndpoints(
      { staging: "https://scraper:hunter2@app.hotdash.example/metrics" },
      { staging: "ftp://app.hotdash.example/metrics" },
    );
    const r = await runCli(["validate"], { cwd: dir });
    expect(r.code).toBe(2);
    const lines = located(r.stdout + r.stderr);
    expect(lines.filter((l) => l.includes("invalid-value `staging` does not match the expected format")).length).toBe(
      2,
    );
    expect(r.stderr + r.stdout).not.toContain("hunter2");
  });

  it("names only declared environments", async () => {
    const dir = await withEndpoints({
      staging: "https://app.hotdash.example/metrics",
      qa: "https://app.hotdash.example/metrics",
    });
    const r = await runCli(["validate"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(
      located(r.stdout + r.stderr).some((l) => l.includes("unresolved-reference environment `qa` is not declared")),
    ).toBe(true);
  });
});
