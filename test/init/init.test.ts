/**
 * `tollgate init`: the starter templates are valid as shipped, init writes them (and a workflow)
 * with $schema lines that resolve from the new project, refuses to overwrite anything (listing every
 * existing file, writing nothing), never writes through a symlink out of the target folder, and
 * `--example reference` copies the reference organization.
 */
import { existsSync } from "node:fs";
import { mkdir, readFile, readdir, readlink, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { REPO, removeDir, runCli, tempDir } from "../helpers/project.js";

const STARTER = path.join(REPO, "examples", "starter");
const dirs: string[] = [];
const fresh = async () => {
  const d = await tempDir("tollgate-init-");
  dirs.push(d);
  return d;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map(removeDir));
});

async function filesUnder(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await filesUnder(dir, r)));
    else out.push(r);
  }
  return out.sort();
}

const SCHEMA = /^# yaml-language-server: \$schema=(\S+)$/m;

describe("the starter templates (examples/starter)", () => {
  it("validate as shipped, and every YAML file names a schema that exists from where it lies", async () => {
    const { ok, diagnostics } = await loadProject(STARTER, { now: "2026-11-24" });
    expect(diagnostics).toEqual([]);
    expect(ok).toBe(true);
    for (const rel of (await filesUnder(STARTER)).filter((f) => f.endsWith(".yaml"))) {
      const ref = SCHEMA.exec(await readFile(path.join(STARTER, rel), "utf8"))?.[1];
      expect(ref, rel).toBeDefined();
      expect(existsSync(path.resolve(STARTER, path.dirname(rel), ref!)), `${rel} → ${ref}`).toBe(true);
    }
  });
});

describe("tollgate init", () => {
  it("writes the starter and a workflow; validate passes and check names what production lacks", async () => {
    const dir = await fresh();
    const init = await runCli(["init", "--org", "Acme: Inc", "--now", "2026-11-24"], { cwd: dir });
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    expect(await filesUnder(dir)).toEqual([
      ".github/workflows/tollgate.yml",
      ".gitignore",
      "manifests/environments.yaml",
      "manifests/services.yaml",
      "secrets-manifest/secrets.yaml",
      "tollgate.yaml",
      "waivers.yaml",
    ]);
    for (const f of await filesUnder(dir)) expect(init.stdout).toContain(f);
    const config = await readFile(path.join(dir, "tollgate.yaml"), "utf8");
    expect(config).toMatch(/^organization: "Acme: Inc"$/m);
    expect(config).toMatch(/^# yaml-language-server: \$schema=node_modules\/tollgate\/schemas\/config\.schema\.json$/m);
    expect(await readFile(path.join(dir, "manifests", "services.yaml"), "utf8")).toContain(
      "$schema=../node_modules/tollgate/schemas/manifest.schema.json",
    );
    expect(await readFile(path.join(dir, "secrets-manifest", "secrets.yaml"), "utf8")).toContain(
      "lastRotated: 2026-11-24",
    );
    // `git add .` (init's next step) must not stage what npm and tollgate create.
    const ignored = (await readFile(path.join(dir, ".gitignore"), "utf8"))
      .split("\n")
      .filter((l) => l && !l.startsWith("#"));
    expect(ignored).toEqual(["node_modules/", "cdktf.out/", ".tollgate/", "dist/"]);
    const workflow = await readFile(path.join(dir, ".github", "workflows", "tollgate.yml"), "utf8");
    expect(workflow).toContain("uses: tollgate-dev/tollgate@main");
    expect(workflow).toMatch(/^ {10}root: \.$/m);
    expect(init.stdout).not.toContain("note:");
    expect(workflow).toContain("fetch-depth: 0");
    expect(workflow).toMatch(/pull-requests: write/);
    expect(workflow).toMatch(/security-events: write/);

    const validate = await runCli(["validate", "--now", "2026-11-24"], { cwd: dir });
    expect(validate.stdout + validate.stderr).toContain("3 files valid");
    expect(validate.code).toBe(0);
    const check = await runCli(["check", "--now", "2026-11-24"], { cwd: dir });
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      "secret-missing-in-production  secret/WEB_APP_API_KEY@production: required in production but not present in production",
    );
    expect(check.stdout).toContain(
      "production-not-deployed  environment/production: production is marked deployed: false",
    );
    expect(check.stdout).toContain("service-no-alert-rule  service/web-app");
    // A fresh secret is not overdue: lastRotated is the day of init.
    expect(check.stdout).not.toContain("secret-rotation-overdue");
    // The starter's .example service is a placeholder: reported as not probeable, never contacted, not a failure.
    const probe = await runCli(["probe", "--format", "json", "--now", "2026-11-24"], { cwd: dir });
    expect(probe.code, probe.stderr).toBe(0);
    expect(JSON.parse(probe.stdout).results).toEqual([
      expect.objectContaining({ service: "web-app", status: "not-probeable", stage: "config", attempts: 0 }),
    ]);
    const text = await runCli(["probe", "--now", "2026-11-24"], { cwd: dir });
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/web-app .* not-probeable .*reserved documentation hostname/);
    expect(text.stdout).toContain(
      "staging: 0 healthy, 0 unhealthy, 0 skipped, 1 not probeable (reserved address) of 1",
    );
  });

  it("in a subfolder of a repository: $schema via the nearest node_modules/tollgate, the workflow's root names the subfolder", async () => {
    const repo = await fresh();
    await mkdir(path.join(repo, ".git"));
    await mkdir(path.join(repo, "node_modules", "tollgate"), { recursive: true });
    await writeFile(path.join(repo, "node_modules", "tollgate", "package.json"), "{}");
    const r = await runCli(["init", "ops/estate", "--now", "2026-11-24"], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("npx tollgate validate --root ops/estate");
    expect(await readFile(path.join(repo, "ops/estate/manifests/environments.yaml"), "utf8")).toContain(
      "$schema=../../../node_modules/tollgate/schemas/manifest.schema.json",
    );
    expect(await readFile(path.join(repo, "ops/estate/.github/workflows/tollgate.yml"), "utf8")).toMatch(
      /^ {10}root: "ops\/estate"$/m,
    );
    expect(r.stdout).toContain(
      "note: ops/estate is inside the git repository .: GitHub runs workflows only from its root, so move",
    );
  });

  it("keeps an existing .gitignore as it is (or a dangling link there) and writes the rest", async () => {
    for (const existing of ["file", "dangling link"]) {
      const dir = await fresh();
      if (existing === "file") await writeFile(path.join(dir, ".gitignore"), "mine\n");
      else await symlink("nowhere", path.join(dir, ".gitignore"));
      const r = await runCli(["init", "--now", "2026-11-24"], { cwd: dir });
      expect([r.code, r.stderr], existing).toEqual([0, ""]);
      expect(r.stdout).toContain(".gitignore (kept as it was: make sure it ignores node_modules/ and cdktf.out/)");
      expect(await filesUnder(dir)).toContain("tollgate.yaml");
      if (existing === "file") expect(await readFile(path.join(dir, ".gitignore"), "utf8")).toBe("mine\n");
      else expect(await readlink(path.join(dir, ".gitignore"))).toBe("nowhere");
    }
  });

  it("refuses to overwrite: lists every existing file, exits 2 and writes nothing", async () => {
    const dir = await fresh();
    await writeFile(path.join(dir, "tollgate.yaml"), "mine\n");
    await mkdir(path.join(dir, "manifests"));
    await writeFile(path.join(dir, "manifests", "services.yaml"), "mine too\n");
    await symlink("nowhere", path.join(dir, "waivers.yaml")); // a dangling symlink counts as existing
    const r = await runCli(["init"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("tollgate.yaml:1:1 init-file-exists");
    expect(r.stderr).toContain(`${path.join("manifests", "services.yaml")}:1:1 init-file-exists`);
    expect(r.stderr).toContain("waivers.yaml:1:1 init-file-exists");
    expect(r.stderr).toContain("nothing written: 3 problems");
    expect(await filesUnder(dir)).toEqual(["manifests/services.yaml", "tollgate.yaml", "waivers.yaml"]);
    expect(await readFile(path.join(dir, "tollgate.yaml"), "utf8")).toBe("mine\n");
  });

  it("never writes through a symlinked folder that leads outside the target, nor over a file where a folder must be", async () => {
    const dir = await fresh();
    const outside = await fresh();
    await symlink(outside, path.join(dir, "manifests"));
    await writeFile(path.join(dir, ".github"), "a file\n");
    const r = await runCli(["init", dir], { cwd: outside });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("init-path-outside");
    expect(r.stderr).toContain("init-not-a-folder");
    expect(await readdir(outside)).toEqual([]);
    expect(existsSync(path.join(dir, "tollgate.yaml"))).toBe(false);

    const file = path.join(outside, "plain-file");
    await writeFile(file, "x");
    const onFile = await runCli(["init", file]);
    expect(onFile.code).toBe(2);
    expect(onFile.stderr).toContain("init-not-a-folder the target exists and is not a folder");
  });

  it("creates a missing folder; --example reference copies the reference organization, which validates", async () => {
    const parent = await fresh();
    const r = await runCli(["init", "new/estate", "--example", "reference"], { cwd: parent });
    expect(r.code).toBe(0);
    const dir = path.join(parent, "new", "estate");
    const files = await filesUnder(dir);
    expect(files).toEqual(
      expect.arrayContaining([
        "tollgate.yaml",
        "waivers.yaml",
        "manifests/environments.yaml",
        "secrets-manifest/openai.yaml",
        ".github/workflows/tollgate.yml",
      ]),
    );
    expect(files.filter((f) => f.startsWith("manifests/") || f.startsWith("secrets-manifest/")).length).toBe(15);
    expect(await readFile(path.join(dir, "tollgate.yaml"), "utf8")).toMatch(/^organization: HotDash$/m);
    expect(await readFile(path.join(dir, "manifests", "services", "apis.yaml"), "utf8")).toContain(
      "$schema=../../node_modules/tollgate/schemas/manifest.schema.json",
    );
    const v = await runCli(["validate", "--root", dir, "--now", "2026-11-24"]);
    expect(v.code).toBe(0);
    expect(v.stdout).toContain("15 files valid: 2 environments, 16 services, 15 secrets");
  });

  it("rejects an unknown --example and a multi-line --org with exit 2", async () => {
    const dir = await fresh();
    const bad = await runCli(["init", "--example", "nope"], { cwd: dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--example must be one of starter, reference");
    const org = await runCli(["init", "--org", "a\nb"], { cwd: dir });
    expect(org.code).toBe(2);
    expect(await readdir(dir)).toEqual([]);
  });
});
