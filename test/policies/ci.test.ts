/**
 * CI and PR review: the README's CI example run verbatim against a temporary git repository,
 * outputs written even on invalid input, SARIF that resolves from the repository root and
 * validates against the SARIF 2.1.0 schema, and one report for an unknown environment everywhere.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, describe, expect, it } from "vitest";
import { NOW, REPO, copyReferenceOrg, removeDir, runCli, tempDir, writeProject } from "../helpers/project.js";
import { editYaml } from "../helpers/yaml-edit.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
const track = (d: string) => (dirs.push(d), d);

const Ajv04 = ((AjvDraft04 as any).default ?? AjvDraft04) as new (o: object) => { compile(s: object): any };
const ajv = new Ajv04({ strict: false, allErrors: true });
addFormats.default(ajv as any);
const validateSarif = ajv.compile(
  JSON.parse(readFileSync(path.join(REPO, "test/fixtures/vendor/sarif-schema-2.1.0.json"), "utf8")),
);
function expectValidSarif(sarif: unknown): void {
  expect(validateSarif(sarif), JSON.stringify(validateSarif.errors?.slice(0, 3))).toBe(true);
}

/** The `tollgate check` arguments of the README's "In CI" workflow step, read from README.md. */
function readmeCiArgs(): string[] {
  const readme = readFileSync(path.join(REPO, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## In CI"));
  const block = section.slice(section.indexOf("```yaml"), section.indexOf("```", section.indexOf("```yaml") + 7));
  const lines = block.split("\n");
  const start = lines.findIndex((l) => /^- run: >$/.test(l.trim()));
  const cmd: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (!/^\s+\S/.test(l)) break;
    cmd.push(l.trim());
  }
  const words = cmd.join(" ").split(/\s+/);
  expect(words.slice(0, 3)).toEqual(["npx", "tollgate", "check"]);
  return words.slice(2);
}

const gitEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@t.example",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@t.example",
};
const gitIn =
  (dir: string) =>
  (...args: string[]) =>
    execFileSync("git", ["-C", dir, ...args], { env: gitEnv }).toString();

describe("the README's CI example", () => {
  it("passes a PR that changes nothing on an estate with existing errors, and fails one that adds an error", async () => {
    const args = readmeCiArgs();
    expect(args).toEqual(expect.arrayContaining(["--base", "origin/main", "--fail-on-new", "--max-drop"]));
    const root = track(await copyReferenceOrg());
    const git = gitIn(root);
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-qm", "base");
    git("update-ref", "refs/remotes/origin/main", "HEAD");

    // An unrelated change: the estate still has its errors (exit 1 without PR mode).
    const file = path.join(root, "manifests/apis.yaml");
    await writeFile(file, `# a reviewer's note\n${await readFile(file, "utf8")}`);
    git("commit", "-qam", "comment only");
    expect((await runCli(["check"], { cwd: root })).code).toBe(1);
    const same = await runCli(args, { cwd: root });
    expect(same.code, same.stderr).toBe(0);
    expect(same.stdout).toMatch(/^::error file=/m); // existing errors are still annotated
    expect(await readFile(path.join(root, "tollgate.md"), "utf8")).toContain("No new or fixed findings.");
    expectValidSarif(JSON.parse(await readFile(path.join(root, "tollgate.sarif"), "utf8")));
    expect(XMLValidator.validate(await readFile(path.join(root, "tollgate.xml"), "utf8"))).toBe(true);
    // --fail-on given explicitly still applies in PR mode.
    expect((await runCli([...args, "--fail-on", "error"], { cwd: root })).code).toBe(1);

    // A PR that adds one error finding fails, naming it.
    await editYaml(path.join(root, "secrets-manifest/openai.yaml"), (doc) =>
      doc.deleteIn(["secrets", "OPENAI_API_KEY", "runbook"]),
    );
    git("commit", "-qam", "drop a runbook");
    const worse = await runCli(args, { cwd: root });
    expect(worse.code).toBe(1);
    expect(worse.stderr).toContain("1 new finding (--fail-on-new)");
    expect(await readFile(path.join(root, "tollgate.md"), "utf8")).toContain("### New findings (1)");

    // PR-mode JSON: waived findings carry a baselineState too.
    await runCli([...args, "--format", `json=${root}/pr.json`], { cwd: root });
    const json = JSON.parse(await readFile(`${root}/pr.json`, "utf8"));
    const waived = json.findings.filter((f: any) => f.waived);
    expect(waived.length).toBeGreaterThan(0);
    expect(waived.every((f: any) => f.baselineState === "unchanged")).toBe(true);
  }, 240_000);
});

describe("SARIF", () => {
  it("SRCROOT is the repository root and every URI resolves to the file, whatever folder tollgate runs from", async () => {
    const repo = track(await tempDir());
    const org = await copyReferenceOrg();
    await mkdir(path.join(repo, "northwind"), { recursive: true });
    await rename(org, path.join(repo, "northwind", "catalog"));
    const git = gitIn(repo);
    git("init", "-q", "-b", "main");
    for (const [cwd, root] of [
      [repo, "northwind/catalog"],
      [path.join(repo, "northwind", "catalog"), "."],
      [path.join(repo, "northwind"), "catalog"],
    ] as const) {
      const r = await runCli(["check", "--root", root, "--now", NOW, "--format", "sarif", "--fail-on", "never"], {
        cwd,
      });
      const sarif = JSON.parse(r.stdout);
      expectValidSarif(sarif);
      const run = sarif.runs[0];
      expect(run.originalUriBaseIds.SRCROOT.uri).toBe(`${new URL(`file://${repo}`).href}/`);
      const rules = run.tool.driver.rules;
      for (const res of run.results) {
        const loc = res.locations[0].physicalLocation.artifactLocation;
        expect(loc.uriBaseId).toBe("SRCROOT");
        expect(loc.uri).toMatch(/^northwind\/catalog\/(manifests|secrets-manifest|waivers\.yaml)/);
        expect(existsSync(fileURLToPath(new URL(loc.uri, run.originalUriBaseIds.SRCROOT.uri)))).toBe(true);
        expect(rules[res.ruleIndex].id).toBe(res.ruleId);
      }
    }
  }, 120_000);

  it("outside a git repository SRCROOT is --root", async () => {
    const root = track(await copyReferenceOrg());
    const r = await runCli(["check", "--root", root, "--now", NOW, "--format", "sarif", "--fail-on", "never"], {
      cwd: path.dirname(root),
    });
    const run = JSON.parse(r.stdout).runs[0];
    expect(run.originalUriBaseIds.SRCROOT.uri).toBe(`${new URL(`file://${root}`).href}/`);
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toMatch(
      /^(manifests|secrets-manifest)\//,
    );
  });
});

describe("invalid input (exit 2) still writes every requested output", () => {
  const formats = (dir: string) =>
    ["sarif", "junit", "json", "markdown", "github"].flatMap((f) => ["--format", `${f}=${dir}/out.${f}`]);

  it.each([
    ["a manifest error", ["--now", NOW], "missing-field"],
    ["an unknown environment", ["--now", NOW, "--env", "stagin"], "unknown-environment"],
    ["a base ref that does not exist", ["--now", NOW, "--base", "no-such-ref", "--fail-on-new"], "git-error"],
    ["an option out of range", ["--now", NOW, "--min-score", "101"], "invalid-option"],
  ])(
    "%s",
    async (_, extra, code) => {
      const dir = track(
        await writeProject({
          "tollgate.yaml": "organization: Broken\n",
          "manifests/estate.yaml":
            code === "missing-field"
              ? "environments:\n  staging: { deployed: true }\nservices:\n  api: { owner: a, tier: high }\n"
              : "environments:\n  staging: { deployed: true }\n",
        }),
      );
      const r = await runCli(["check", "--root", dir, ...extra, ...formats(dir)], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(code);
      const sarif = JSON.parse(await readFile(`${dir}/out.sarif`, "utf8"));
      expectValidSarif(sarif);
      const result = sarif.runs[0].results.find((x: any) => x.ruleId === code);
      expect(result).toBeDefined();
      expect(sarif.runs[0].tool.driver.rules[result.ruleIndex].id).toBe(code);
      const junit = await readFile(`${dir}/out.junit`, "utf8");
      expect(XMLValidator.validate(junit)).toBe(true);
      expect(Number(new XMLParser({ ignoreAttributes: false }).parse(junit).testsuites["@_failures"])).toBeGreaterThan(
        0,
      );
      expect(junit).toContain(`type="${code}"`);
      const json = JSON.parse(await readFile(`${dir}/out.json`, "utf8"));
      expect(json.score.percent).toBeNull();
      expect(json.diagnostics.map((d: any) => d.code)).toContain(code);
      expect(await readFile(`${dir}/out.markdown`, "utf8")).toContain(`\`${code}\``);
      expect(await readFile(`${dir}/out.github`, "utf8")).toMatch(new RegExp(`^::error .*title=${code}::`, "m"));
    },
    60_000,
  );
});

describe("an unknown environment is reported the same way by every command", () => {
  it.each([["check"], ["synth"], ["probe"], ["forecast"], ["mcp-tools"]])(
    "%s --env stagin",
    async (command) => {
      const r = await runCli([
        command,
        "--now",
        NOW,
        "--env",
        "stagin",
        ...(command === "synth" ? ["--out", path.join(track(await tempDir()), "out")] : []),
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("<command line>:1:1 unknown-environment --env stagin: no such environment");
      expect(r.stderr).toContain("hint: did you mean `staging`? Environments: production, staging");
    },
    60_000,
  );
});
