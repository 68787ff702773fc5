/**
 * Findings say how to fix them: every policy id has a heading in docs/policies.md (the anchor the
 * links point at), text and Markdown show each rule's remediation and link, a custom policy's
 * docsUrl is its link (and `tollgate policies --root` lists it), and diagnostic hints link to the
 * published docs instead of a bare relative path.
 */
import { readFileSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DIAGNOSTIC_CODES } from "../../model/diagnostics.js";
import { policyDocsUrl } from "../../policies/docs-url.js";
import { splicePolicyReference } from "../../policies/policy-docs.js";
import { BUILTIN_POLICIES, WAIVER_RULES } from "../../policies/registry.js";
import { DOCS_BASE_URL } from "../../util/project-url.js";
import { NOW, REPO, copyReferenceOrg, removeDir, runCli, writeProject } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

/** GitHub's heading anchor: lower case, punctuation other than - and _ dropped, spaces as dashes. */
const anchorOf = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_ -]/g, "")
    .replace(/ /g, "-");

describe("docs links", () => {
  const policiesDoc = readFileSync(path.join(REPO, "docs/policies.md"), "utf8");
  it("docs/policies.md has one heading per policy id, and each policy's link points at it", () => {
    const anchors = policiesDoc
      .split("\n")
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => anchorOf(l.replace(/^#+ /, "")));
    for (const id of [...BUILTIN_POLICIES.map((p) => p.id), ...Object.keys(WAIVER_RULES)]) {
      const url = policyDocsUrl({ id })!;
      expect(url, id).toBe(`${DOCS_BASE_URL}/policies.md#${id}`);
      expect(
        anchors.filter((a) => a === url.split("#")[1]),
        id,
      ).toHaveLength(1);
    }
  });

  it("the generated policy reference is current (run `npm run build && npm run docs` when this fails)", () => {
    expect(splicePolicyReference(policiesDoc)).toBe(policiesDoc);
    for (const p of BUILTIN_POLICIES) expect(policiesDoc).toContain(`**How to fix:** ${p.remediation}`);
  });

  it("docs/diagnostics.md has an anchor per code, and default hints link to it", async () => {
    const doc = readFileSync(path.join(REPO, "docs/diagnostics.md"), "utf8");
    for (const code of Object.keys(DIAGNOSTIC_CODES))
      expect(doc, `add <a id="${code}"></a> to its row`).toContain(`| \`${code}\` | <a id="${code}"></a>`);
    const root = await writeProject({
      "tollgate.yaml": "organization: D\n",
      "manifests/a.yaml": "services:\n  api:\n    kind: infra\n    owner: a\n    tier: low\n    bogus: 1\n",
    });
    dirs.push(root);
    const r = await runCli(["validate", "--root", root, "--format", "json"]);
    const hints = JSON.parse(r.stdout)
      .diagnostics.map((d: any) => d.hint)
      .join("\n");
    expect(hints).not.toMatch(/(^|[^/])docs\/\w+\.md/);
    const src = ["load/loader.ts", "load/parse/parse-worker.ts", "policies/engine.ts"]
      .map((f) => readFileSync(path.join(REPO, f), "utf8"))
      .join("\n");
    expect(src).not.toMatch(/["`][^"`]*See docs\/|in docs\/policies\.md\./);
  });
});

describe("findings say how to fix them", () => {
  it("text and Markdown show each rule's remediation and link; --explain shows it per deciding finding", async () => {
    const text = (await runCli(["check", "--now", NOW])).stdout;
    const rule = BUILTIN_POLICIES.find((p) => p.id === "client-no-retry")!;
    expect(text).toContain(`How to fix\n`);
    expect(text).toContain(
      `  client-no-retry  ${rule.remediation}\n    ${DOCS_BASE_URL}/policies.md#client-no-retry\n`,
    );
    const explain = (await runCli(["check", "--now", NOW, "--explain"])).stdout;
    expect(explain).toMatch(
      new RegExp(
        `• client-no-retry api/chatwoot: no retry policy\\n\\s+fix: ${rule.remediation.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`,
      ),
    );
    const md = (await runCli(["check", "--now", NOW, "--format", "markdown"])).stdout;
    expect(md).toContain(
      `| error | [\`client-no-retry\`](${DOCS_BASE_URL}/policies.md#client-no-retry) | api/chatwoot |`,
    );
    expect(md).toContain(`### How to fix\n`);
    expect(md).toContain(`- [\`client-no-retry\`](${DOCS_BASE_URL}/policies.md#client-no-retry): ${rule.remediation}`);
  });

  it("a custom policy's docsUrl is its link everywhere; tollgate policies --root lists it with id, severity and title", async () => {
    const root = await copyReferenceOrg();
    dirs.push(root);
    await mkdir(path.join(root, "local"));
    await writeFile(
      path.join(root, "local/team-owner.mjs"),
      [
        "export default { id: 'team-owner', title: 'Owners are (teams)', category: 'secrets', severity: 'warning',",
        "  rationale: 'People leave.', remediation: 'Use a team-* owner.', docsUrl: 'https://wiki.example.test/policies/team owner (v2)',",
        "  check({ model }, report) { for (const [name] of model.secrets) report({ subject: `secret/${name}`, message: 'not a team', at: { section: 'secrets', name, path: ['owner'] } }); } };",
      ].join("\n"),
    );
    const config = (await readFile(path.join(root, "tollgate.yaml"), "utf8")).replace(
      "policies:\n",
      'policies:\n  team-owner: error\n  client-no-metrics: "off"\n',
    );
    await writeFile(path.join(root, "tollgate.yaml"), `${config}customPolicies: local\n`);
    const md = (await runCli(["check", "--root", root, "--now", NOW, "--format", "markdown", "--fail-on", "never"]))
      .stdout;
    expect(md).toContain(
      "- [`team-owner`](https://wiki.example.test/policies/team%20owner%20%28v2%29): Use a team-* owner.",
    );
    const sarif = JSON.parse(
      (await runCli(["check", "--root", root, "--now", NOW, "--format", "sarif", "--fail-on", "never"])).stdout,
    );
    expect(sarif.runs[0].tool.driver.rules.find((r: any) => r.id === "team-owner").helpUri).toBe(
      "https://wiki.example.test/policies/team owner (v2)",
    );
    const list = await runCli(["policies", "--root", root]);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/^ {2}team-owner +error +Owners are \(teams\) \(custom\)$/m);
    expect(list.stdout).toMatch(/^ {2}client-no-metrics +off +Client emits no metrics$/m);
    expect(list.stdout).toMatch(/^ {2}secret-no-owner +error +Secret has no owner$/m);
    const json = JSON.parse((await runCli(["policies", "--root", root, "--format", "json"])).stdout);
    expect(json.find((p: any) => p.id === "team-owner")).toMatchObject({
      source: "custom",
      severity: "error",
      category: "secrets",
      docs: "https://wiki.example.test/policies/team owner (v2)",
    });
    // Without a project (and none above the folder) only the built-ins are listed.
    const bare = JSON.parse((await runCli(["policies", "--format", "json"], { cwd: path.dirname(root) })).stdout);
    expect(bare.some((p: any) => p.source === "custom")).toBe(false);
    expect(bare).toHaveLength(BUILTIN_POLICIES.length);
    // A --root that does not exist is a typo to report, not an empty project.
    const missing = await runCli(["policies", "--root", path.join(root, "no-such-folder")]);
    expect(missing.code).toBe(2);
    expect(missing.stdout).toBe("");
    expect(missing.stderr).toMatch(/no-such-folder:1:1 no-manifests project root does not exist/);
    // Only tollgate.yaml decides what is listed: a broken manifest does not stop the listing, a
    // broken config does (at its line), and no manifest is read for it.
    await writeFile(path.join(root, "manifests", "broken.yaml"), "services: [\n");
    const despite = await runCli(["policies", "--root", root, "--format", "json"]);
    expect(despite.code, despite.stderr).toBe(0);
    expect(JSON.parse(despite.stdout).find((p: any) => p.id === "team-owner")).toMatchObject({ severity: "error" });
    await writeFile(path.join(root, "tollgate.yaml"), `${config}customPolicies: local\nlimits: { maxDepth: 0 }\n`);
    const badConfig = await runCli(["policies", "--root", root]);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stdout).toBe("");
    expect(badConfig.stderr).toMatch(/tollgate\.yaml:\d+:\d+ invalid-value `maxDepth` must be more than 0/);
    expect(badConfig.stderr).not.toContain("broken.yaml");
  }, 120_000);

  it("a custom policy's docsUrl must be http(s)", async () => {
    const root = await writeProject({
      "tollgate.yaml": "customPolicies: local\n",
      "manifests/a.yaml": "services:\n  api: { kind: infra, owner: a, tier: low }\n",
      "local/p.mjs":
        "export default { id: 'p', title: 't', category: 'secrets', severity: 'note', rationale: 'r', remediation: 'm', docsUrl: 'javascript:alert(1)', check() {} };\n",
    });
    dirs.push(root);
    const r = await runCli(["check", "--root", root, "--now", NOW]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/custom-policy-invalid.*docsUrl/);
  });
});
