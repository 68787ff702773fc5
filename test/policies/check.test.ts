/**
 * `tollgate check` end to end on the reference organization and edited copies of it: the score
 * is computed from data, every format is produced and valid, PR mode compares real git commits.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { XMLValidator, XMLParser } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { assess } from "../../assess/readiness.js";
import { NOW, REPO, copyReferenceOrg, removeDir, runCli, tempDir } from "../helpers/project.js";
import { expectGolden } from "../helpers/golden.js";
import { editYaml } from "../helpers/yaml-edit.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
async function orgCopy(): Promise<string> {
  const d = await copyReferenceOrg();
  dirs.push(d);
  return d;
}
const secretsCard = async (root: string, now = NOW) =>
  (await assess(root, { now })).report!.scorecards.find((s) => s.id === "secrets")!;

/** Adds a production placement to every required secret, keeping the files' comments. */
async function mirrorRequiredSecrets(root: string): Promise<void> {
  for (const f of ["shopify", "chatwoot", "supabase", "google-analytics", "openai", "fly"]) {
    await editYaml(path.join(root, "secrets-manifest", `${f}.yaml`), (doc) => {
      const secrets = doc.get("secrets") as any;
      for (const pair of secrets.items) {
        if (secrets.getIn([pair.key.value, "requiredInProduction"]) !== true) continue;
        doc.setIn(
          ["secrets", pair.key.value, "environments", "production"],
          doc.createNode({
            ref: `vault://kv/production/${String(pair.key.value).toLowerCase()}`,
            lastRotated: "2026-11-20",
          }),
        );
      }
    });
  }
}

describe("readiness score", () => {
  it("the secrets scorecard is 5 of 7 (71%) on the reference organization, decided by data", async () => {
    const card = await secretsCard(REPO);
    expect([card.passed, card.total, card.percent]).toEqual([5, 7, 71]);
    expect(card.categories.filter((c) => !c.passed).map((c) => c.id)).toEqual([
      "production-mirroring",
      "production-deployed",
    ]);
    const mirroring = card.categories.find((c) => c.id === "production-mirroring")!;
    expect(mirroring.findings.filter((f) => f.severity === "error").length).toBe(12);
  });

  it("moves to 6 of 7 when every required secret is mirrored into production, and 7 of 7 once deployed", async () => {
    const root = await orgCopy();
    await mirrorRequiredSecrets(root);
    // The edit kept the human's comments.
    expect(readFileSync(path.join(root, "secrets-manifest/shopify.yaml"), "utf8")).toContain(
      "# Shopify secrets: metadata only.",
    );
    expect([(await secretsCard(root)).passed, (await secretsCard(root)).percent]).toEqual([6, 86]);
    await editYaml(path.join(root, "manifests/environments.yaml"), (doc) =>
      doc.setIn(["environments", "production", "deployed"], true),
    );
    expect((await secretsCard(root)).percent).toBe(100);
  });

  it("drops the rotation category when time passes (--now) and a secret goes overdue", async () => {
    const later = await secretsCard(REPO, "2026-12-15");
    expect(later.categories.find((c) => c.id === "rotation")!.passed).toBe(false);
    expect(later.passed).toBe(4);
  });

  it("drops incident response when a runbook is removed", async () => {
    const root = await orgCopy();
    await editYaml(path.join(root, "secrets-manifest/openai.yaml"), (doc) =>
      doc.deleteIn(["secrets", "OPENAI_API_KEY", "runbook"]),
    );
    const card = await secretsCard(root);
    expect(card.categories.find((c) => c.id === "incident-response")).toMatchObject({
      passed: false,
      findings: [expect.objectContaining({ subject: "secret/OPENAI_API_KEY" })],
    });
  });

  it("weights change the overall score", async () => {
    const root = await orgCopy();
    const before = (await assess(root, { now: NOW })).report!.score.percent;
    await writeFile(
      path.join(root, "tollgate.yaml"),
      `${await readFile(path.join(root, "tollgate.yaml"), "utf8")}scoring:\n  weights: { webhooks: 0, monitoring: 0 }\n`,
    );
    const after = (await assess(root, { now: NOW })).report!.score.percent;
    expect(before).toBe(Math.round(((5 / 7 + 2 / 5 + 1 + 1) / 4) * 100));
    expect(after).toBe(Math.round(((5 / 7 + 2 / 5) / 2) * 100));
  });
});

describe("waivers", () => {
  it("suppresses visibly, flags expired, over-long and unused waivers", async () => {
    const root = await orgCopy();
    await writeFile(
      path.join(root, "waivers.yaml"),
      [
        "waivers:",
        "  - { rule: client-no-retry, subject: 'api/*', owner: a, reason: r, expires: 2026-12-31 }",
        "  - { rule: client-no-metrics, subject: api/openai, owner: a, reason: r, expires: 2026-11-01 }",
        "  - { rule: webhook-no-hmac, subject: 'webhook/*', owner: a, reason: r, expires: 2026-12-01 }",
        "  - { rule: client-no-circuit-breaker, subject: api/chatwoot, owner: a, reason: r, expires: 2027-06-01 }",
        "",
      ].join("\n"),
    );
    const report = (await assess(root, { now: NOW })).report!;
    const waived = report.findings.filter((f) => f.waived).map((f) => `${f.ruleId} ${f.subject}`);
    expect(waived).toEqual(
      expect.arrayContaining([
        "client-no-retry api/chatwoot",
        "client-no-retry api/openai",
        "client-no-retry api/google-analytics",
      ]),
    );
    expect(report.findings.find((f) => f.ruleId === "client-no-metrics" && f.subject === "api/openai")!.waived).toBe(
      false,
    );
    // An over-long waiver is reported and suppresses nothing.
    expect(
      report.findings.find((f) => f.ruleId === "client-no-circuit-breaker" && f.subject === "api/chatwoot")!.waived,
    ).toBe(false);
    const meta = report.findings.filter((f) => f.ruleId.startsWith("waiver-")).map((f) => [f.ruleId, f.location.line]);
    expect(meta).toEqual([
      ["waiver-expired", 3],
      ["waiver-unused", 4],
      ["waiver-too-long", 5],
    ]);
    expect(
      report.scorecards.find((s) => s.id === "rate-limits")!.categories.find((c) => c.id === "retries")!.passed,
    ).toBe(true);
  });
});

describe("output formats", () => {
  it("writes text, json, sarif, junit, markdown and github in one run", async () => {
    const root = await orgCopy();
    const r = await runCli(
      [
        "check",
        "--root",
        root,
        "--now",
        NOW,
        "--format",
        "text",
        ...["json", "sarif", "junit", "markdown", "github"].flatMap((f) => ["--format", `${f}=${root}/out.${f}`]),
      ],
      { cwd: root },
    );
    expect(r.code).toBe(1); // the reference organization is not ready
    expect(r.stderr).toContain("gate failed");
    expect(r.stdout).toMatch(/Secrets production readiness\s+5 of 7\s+71%/);

    const json = JSON.parse(await readFile(`${root}/out.json`, "utf8"));
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(["tool", "now", "env", "score", "scorecards", "findings", "summary"]),
    );
    expect(json.tool.name).toBe("tollgate");
    expect(json.scorecards[0]).toMatchObject({ id: "secrets", percent: 71, passed: 5, total: 7 });
    expect(json.findings[0]).toEqual(
      expect.objectContaining({
        ruleId: expect.any(String),
        severity: expect.any(String),
        subject: expect.any(String),
        location: { file: expect.any(String), line: expect.any(Number), col: expect.any(Number) },
        waived: expect.any(Boolean),
      }),
    );

    // The reference SARIF schema is draft-04, so it is validated with ajv's draft-04 build.
    const Ajv04 = ((AjvDraft04 as any).default ?? AjvDraft04) as new (o: object) => { compile(s: object): any };
    const ajv = new Ajv04({ strict: false, allErrors: true });
    addFormats.default(ajv as any);
    const validate = ajv.compile(
      JSON.parse(readFileSync(path.join(REPO, "test/fixtures/vendor/sarif-schema-2.1.0.json"), "utf8")),
    );
    const sarif = JSON.parse(await readFile(`${root}/out.sarif`, "utf8"));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const results = sarif.runs[0].results;
    expect(results.find((x: any) => x.suppressions)).toMatchObject({
      ruleId: "client-no-metrics",
      suppressions: [{ kind: "external" }],
    });
    expect(
      results.every(
        (x: any) => x.locations[0].physicalLocation.region.startLine >= 1 && x.partialFingerprints["tollgate/v1"],
      ),
    ).toBe(true);
    expect(sarif.runs[0].tool.driver.rules.find((x: any) => x.id === "secret-rotation-overdue").help.text).toContain(
      "Remediation",
    );

    const junit = await readFile(`${root}/out.junit`, "utf8");
    expect(XMLValidator.validate(junit)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false }).parse(junit);
    expect(Number(parsed.testsuites["@_failures"])).toBe(json.summary.errors);

    expectGolden(await readFile(`${root}/out.markdown`, "utf8"), "check.md");

    const gh = (await readFile(`${root}/out.github`, "utf8")).trim().split("\n");
    expect(gh[0]).toMatch(
      /^::error file=manifests\/apis\.yaml,line=\d+,col=\d+,title=client-no-circuit-breaker::api\/shopify-admin: no circuit breaker$/,
    );
    expect(gh.filter((l) => l.startsWith("::error")).length).toBe(json.summary.errors);
  });

  it("never writes colour codes into files, even where CI turns colour on", async () => {
    const root = await orgCopy();
    const r = await runCli(
      ["check", "--root", root, "--now", NOW, "--format", `text=${root}/report.txt`, "--fail-on", "never"],
      { env: { CI: "true", NO_COLOR: undefined, FORCE_COLOR: "1" } },
    );
    expect(r.code).toBe(0);
    const text = await readFile(`${root}/report.txt`, "utf8");
    expect(text).toContain("Secrets production readiness");
    expect(text).not.toContain("\u001b[");
  });

  it("defaults to GitHub annotations under GitHub Actions", async () => {
    const r = await runCli(["check", "--now", NOW], { env: { GITHUB_ACTIONS: "true" } });
    expect(r.stdout.split("\n")[0]).toMatch(/^::error file=/);
  });

  it("SARIF fingerprints survive unrelated edits (lines move, fingerprints do not)", async () => {
    const root = await orgCopy();
    const sarif = async () =>
      JSON.parse((await runCli(["check", "--root", root, "--now", NOW, "--format", "sarif"], { cwd: root })).stdout)
        .runs[0].results as any[];
    const before = await sarif();
    const file = path.join(root, "secrets-manifest/shopify.yaml");
    await writeFile(
      file,
      (await readFile(file, "utf8")).replace(
        "# Shopify secrets",
        "# An unrelated comment.\n# And another.\n# Shopify secrets",
      ),
    );
    const after = await sarif();
    const key = (r: any) => `${r.ruleId} ${r.properties.subject}`;
    const lines = (rs: any[]) => new Map(rs.map((r) => [key(r), r.locations[0].physicalLocation.region.startLine]));
    const fps = (rs: any[]) => new Map(rs.map((r) => [key(r), r.partialFingerprints["tollgate/v1"]]));
    expect(fps(after)).toEqual(fps(before));
    expect(lines(after).get("secret-missing-in-production secret/SHOPIFY_API_KEY@production")).toBe(
      lines(before).get("secret-missing-in-production secret/SHOPIFY_API_KEY@production")! + 2,
    );
  });

  it("output is byte-identical across runs", async () => {
    const a = await runCli(["check", "--now", NOW, "--format", "sarif"]);
    const b = await runCli(["check", "--now", NOW, "--format", "sarif"]);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.length).toBeGreaterThan(1000);
  });

  it("gates: --fail-on never and --min-score", async () => {
    expect((await runCli(["check", "--now", NOW, "--fail-on", "never", "--format", "json"])).code).toBe(0);
    expect(
      (await runCli(["check", "--now", NOW, "--fail-on", "never", "--min-score", "90", "--format", "json"])).code,
    ).toBe(1);
    expect(
      (await runCli(["check", "--now", NOW, "--fail-on", "never", "--min-score", "50", "--format", "json"])).code,
    ).toBe(0);
    expect((await runCli(["check", "--now", NOW, "--min-score", "101"])).code).toBe(2);
    expect((await runCli(["check", "--now", NOW, "--env", "qa"])).code).toBe(2);
  });
});

describe("PR mode", () => {
  it("--base compares with a git ref without touching the working tree: one fixed, one new", async () => {
    const root = await orgCopy();
    const git = (...args: string[]) =>
      execFileSync("git", ["-C", root, ...args], {
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: "t",
          GIT_AUTHOR_EMAIL: "t@t.example",
          GIT_COMMITTER_NAME: "t",
          GIT_COMMITTER_EMAIL: "t@t.example",
        },
      }).toString();
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-qm", "base");
    // The change fixes the Chatwoot breaker and drops the OpenAI runbook.
    await editYaml(path.join(root, "manifests/apis.yaml"), (doc) =>
      doc.setIn(
        ["apis", "chatwoot", "client", "circuitBreaker"],
        doc.createNode({ failureThreshold: 5, reset: "30s" }),
      ),
    );
    await editYaml(path.join(root, "secrets-manifest/openai.yaml"), (doc) =>
      doc.deleteIn(["secrets", "OPENAI_API_KEY", "runbook"]),
    );
    git("commit", "-qam", "change");
    const statusBefore = git("status", "--porcelain");
    const out = await tempDir(); // outputs beside the tree, not in it (git status must not change), inside a temp folder of the test's own
    dirs.push(out);

    const r = await runCli(
      [
        "check",
        "--root",
        root,
        "--now",
        NOW,
        "--base",
        "HEAD~1",
        "--format",
        "json",
        "--format",
        `markdown=${out}/pr.md`,
        "--fail-on",
        "never",
        "--fail-on-new",
      ],
      { cwd: root },
    );
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.comparison).toMatchObject({
      new: 1,
      fixed: [{ ruleId: "client-no-circuit-breaker", subject: "api/chatwoot" }],
    });
    expect(json.findings.filter((f: any) => f.baselineState === "new").map((f: any) => f.ruleId)).toEqual([
      "secret-no-runbook",
    ]);
    const md = await readFile(`${out}/pr.md`, "utf8");
    expect(md).toContain("### New findings (1)");
    expect(md).toContain("### Fixed findings (1)");
    expect(git("status", "--porcelain")).toBe(statusBefore);

    // --baseline with a saved report gives the same classification.
    git("checkout", "-q", "HEAD~1");
    await runCli(["check", "--root", root, "--now", NOW, "--format", `json=${out}/base.json`, "--fail-on", "never"], {
      cwd: root,
    });
    git("checkout", "-q", "main");
    const viaFile = JSON.parse(
      (
        await runCli(
          [
            "check",
            "--root",
            root,
            "--now",
            NOW,
            "--baseline",
            `${out}/base.json`,
            "--format",
            "json",
            "--fail-on",
            "never",
          ],
          { cwd: root },
        )
      ).stdout,
    );
    expect(viaFile.comparison).toEqual(json.comparison);
    expect((await runCli(["check", "--root", root, "--now", NOW, "--base", "no-such-ref"], { cwd: root })).code).toBe(
      2,
    );
  });
});
