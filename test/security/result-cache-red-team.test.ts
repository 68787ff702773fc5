/**
 * Red team of the whole-result cache (assess/cache/result-cache.ts, assess/cache/result-inputs.ts): a warm `--cache`
 * run must write exactly what a `--no-cache` run on the same inputs writes, must never hang where
 * the cold run does not, and must never write or delete outside the files Tollgate created.
 * Hits are observed through TOLLGATE_CACHE_STATS=1, whose lines are removed before comparing.
 */
import { execFileSync } from "node:child_process";
import { mkdir, readdir, readFile, rm, symlink, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_ENTRIES, ResultCache } from "../../assess/cache/result-cache.js";
import { ParseCache } from "../../load/parse/parse-cache.js";
import { digestInputs, readConfig } from "../../assess/cache/result-inputs.js";
import { NOW, copyReferenceOrg, removeDir, runCli, tempDir, type CliResult } from "../helpers/project.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
const track = (d: string) => (dirs.push(d), d);

const ARGS = ["check", "--now", NOW, "--format", "json", "--fail-on", "never"];

/** The run without the cache's stats lines, and what the cache said. */
async function run(root: string, args: string[], timeoutMs = 120_000): Promise<{ said: string[]; r: CliResult }> {
  const r = await runCli(args, { cwd: root, env: { TOLLGATE_CACHE_STATS: "1" }, timeoutMs });
  const lines = r.stderr.split("\n");
  return {
    said: lines.filter((l) => l.startsWith("tollgate: cache: ")).map((l) => l.slice(17)),
    r: { ...r, stderr: lines.filter((l) => !l.startsWith("tollgate: cache: ")).join("\n") },
  };
}

const hit = (said: string[]) => said.includes("outputs hit") || said.includes("result hit");

const POLICY = (severity: string) =>
  [
    `import { SEVERITY } from ${JSON.stringify(severity)};`,
    "export default {",
    "  id: 'red-team', title: 'Red team', category: 'secrets', severity: SEVERITY,",
    "  rationale: 'r', remediation: 'r',",
    "  check({ model }, report) { for (const [name] of model.secrets) report({ subject: `secret/${name}`, message: 'm', at: { section: 'secrets', name, path: [] } }); },",
    "};",
  ].join("\n");

async function withPolicies(root: string, folder = "policies-local"): Promise<void> {
  await writeFile(
    path.join(root, "tollgate.yaml"),
    `${await readFile(path.join(root, "tollgate.yaml"), "utf8")}customPolicies: ${folder}\n`,
  );
}

describe("result cache red team", () => {
  it("a FIFO (or a link to one) where a file is read does not hang a warm run: it answers as the cold run does", async () => {
    const root = track(await copyReferenceOrg());
    await mkdir(path.join(root, "policies-local/lib"), { recursive: true });
    await writeFile(path.join(root, "policies-local/lib/severity.mjs"), "export const SEVERITY = 'warning';\n");
    await writeFile(path.join(root, "policies-local/red-team.mjs"), POLICY("./lib/severity.mjs"));
    await withPolicies(root);
    const cold = await run(root, [...ARGS, "--cache"]);
    expect(cold.said).toContain("result stored");
    // A FIFO beside the policies is never read by the run, so the run is stored and must hit.
    execFileSync("mkfifo", [path.join(root, "policies-local/pipe")]);
    const beside = await run(root, [...ARGS, "--cache"], 60_000);
    expect(beside.r.code).toBe(0);
    const besidePlain = await run(root, [...ARGS, "--no-cache"]);
    expect(beside.r).toEqual(besidePlain.r);
    expect(hit((await run(root, [...ARGS, "--cache"], 60_000)).said)).toBe(true);
    // A link named like a manifest to a FIFO inside the root, and the waivers file replaced by a FIFO: the loader reports them.
    execFileSync("mkfifo", [path.join(root, "manifests/pipe")]);
    await symlink("pipe", path.join(root, "manifests/zz-pipe.yaml"));
    const linked = await run(root, [...ARGS, "--cache"], 60_000);
    expect(linked.r.code).toBe(2);
    expect(linked.r).toEqual((await run(root, [...ARGS, "--no-cache"])).r);
    await rm(path.join(root, "manifests/zz-pipe.yaml"));
    await rm(path.join(root, "waivers.yaml"));
    execFileSync("mkfifo", [path.join(root, "waivers.yaml")]);
    const waivers = await run(root, [...ARGS, "--cache"], 60_000);
    expect(waivers.r.code).toBe(2);
    expect(waivers.r).toEqual((await run(root, [...ARGS, "--no-cache"])).r);
  }, 600_000);

  it("a custom policy importing through a linked folder: a change behind the link misses", async () => {
    const root = track(await copyReferenceOrg());
    await mkdir(path.join(root, "common"));
    await mkdir(path.join(root, "policies-local"));
    await writeFile(path.join(root, "common/severity.mjs"), "export const SEVERITY = 'warning';\n");
    await symlink("../common", path.join(root, "policies-local/lib"));
    await writeFile(path.join(root, "policies-local/red-team.mjs"), POLICY("./lib/severity.mjs"));
    await withPolicies(root);
    await run(root, [...ARGS, "--cache"]);
    expect((await run(root, [...ARGS, "--cache"])).said).toEqual(["outputs hit"]);
    await writeFile(path.join(root, "common/severity.mjs"), "export const SEVERITY = 'note';\n");
    const warm = await run(root, [...ARGS, "--cache"]);
    const plain = await run(root, [...ARGS, "--no-cache"]);
    expect(plain.r.stdout).toContain('"severity": "note"');
    expect(hit(warm.said)).toBe(false);
    expect(warm.r).toEqual(plain.r);
    // A link loop inside the policy folder ends (each real folder is hashed once).
    await symlink("..", path.join(root, "common/up"));
    const looped = await run(root, [...ARGS, "--cache"], 60_000);
    expect(looped.r).toEqual((await run(root, [...ARGS, "--no-cache"])).r);
    // A linked folder out of the root is not walked (it may be a whole disk): never stored, never a hit.
    const outside = track(await tempDir());
    await writeFile(path.join(outside, "severity.mjs"), "export const SEVERITY = 'warning';\n");
    await rm(path.join(root, "common/up"));
    await rm(path.join(root, "policies-local/lib"));
    await symlink(outside, path.join(root, "policies-local/lib"));
    for (let i = 0; i < 2; i++) {
      const out = await run(root, [...ARGS, "--cache"]);
      expect(out.said).toContain("result not stored");
      expect(hit(out.said)).toBe(false);
    }
  }, 600_000);

  it("a helper nested deep under the custom policy folder is hashed (or the run is not cached at all)", async () => {
    const root = track(await copyReferenceOrg());
    const deep = (n: number) => Array.from({ length: n }, () => "d").join("/");
    await mkdir(path.join(root, "policies-local", deep(20)), { recursive: true });
    await writeFile(
      path.join(root, "policies-local", deep(20), "severity.mjs"),
      "export const SEVERITY = 'warning';\n",
    );
    await writeFile(path.join(root, "policies-local/red-team.mjs"), POLICY(`./${deep(20)}/severity.mjs`));
    await withPolicies(root);
    await run(root, [...ARGS, "--cache"]);
    expect((await run(root, [...ARGS, "--cache"])).said).toEqual(["outputs hit"]);
    await writeFile(path.join(root, "policies-local", deep(20), "severity.mjs"), "export const SEVERITY = 'note';\n");
    const warm = await run(root, [...ARGS, "--cache"]);
    expect(hit(warm.said)).toBe(false);
    expect(warm.r).toEqual((await run(root, [...ARGS, "--no-cache"])).r);
    // Beyond what is hashed: never stored, never a hit.
    await mkdir(path.join(root, "policies-local", deep(70)), { recursive: true });
    for (let i = 0; i < 2; i++) expect((await run(root, [...ARGS, "--cache"])).said).toContain("result not stored");
  }, 600_000);

  it("a file replaced during the first cold run, keeping its old modification time, is not stored under the new bytes", async () => {
    const root = track(await copyReferenceOrg());
    await mkdir(path.join(root, "policies-local"));
    const target = path.join(root, "manifests/alerts.yaml");
    // The policy stands in for anything that rewrites a manifest while the run evaluates (a checkout, `cp -p`, `rsync -t`):
    // it appends an undeclared alert once and puts the old modification time back.
    await writeFile(
      path.join(root, "policies-local/rewrite.mjs"),
      [
        "import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';",
        `const file = ${JSON.stringify(target)};`,
        "export default {",
        "  id: 'rewrite', title: 'Rewrites', category: 'secrets', severity: 'note', rationale: 'r', remediation: 'r',",
        "  check() {",
        "    const text = readFileSync(file, 'utf8');",
        "    if (text.includes('red-team-added')) return;",
        "    const s = statSync(file);",
        "    writeFileSync(file, text.replace(/^alerts:\\n/m, 'alerts:\\n  red-team-added:\\n    service: nope\\n    expr: up == 0\\n    for: 5m\\n    severity: page\\n    summary: added\\n    channels: [nope]\\n'));",
        "    utimesSync(file, s.atime, s.mtime);",
        "  },",
        "};",
      ].join("\n"),
    );
    await withPolicies(root);
    const old = new Date(Date.now() - 3600_000);
    await utimes(target, old, old);
    const first = await run(root, [...ARGS, "--cache"]);
    expect(await readFile(target, "utf8")).toContain("red-team-added");
    const warm = await run(root, [...ARGS, "--cache"]);
    const plain = await run(root, [...ARGS, "--no-cache"]);
    expect(plain.r).not.toEqual(first.r); // the rewrite changed the result
    expect(warm.r).toEqual(plain.r);
    expect(first.said).toContain("result not stored");
  }, 600_000);

  it("--base follows the commit, not the ref name: after main moves the PR output is the cold run's; the base side is stored on a first run", async () => {
    const root = track(await copyReferenceOrg());
    const git = (...a: string[]) =>
      execFileSync("git", ["-C", root, "-c", "user.name=t", "-c", "user.email=t@example.com", ...a], {
        encoding: "utf8",
      });
    git("init", "-q", "-b", "main");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
    git("checkout", "-q", "-b", "pr");
    // The PR drops every waiver: the waived findings become new ones.
    const waivers = path.join(root, "waivers.yaml");
    await writeFile(waivers, "waivers: []\n");
    const pr = ["check", "--now", NOW, "--format", "markdown", "--base", "main", "--fail-on-new"];
    const first = await run(root, [...pr, "--cache"]);
    // Extracted just before the base is evaluated, its files are older than the run: both sides are stored.
    expect(
      first.said.filter((s) => s.startsWith("result ")),
      first.said.join("; "),
    ).toEqual(["result stored", "result stored"]);
    expect((await run(root, [...pr, "--cache"])).said.filter((s) => s.endsWith("hit"))).toEqual([
      "result hit",
      "result hit",
    ]);
    // main moves to a commit where the PR's change is already made: nothing is new any more.
    git("stash", "-q");
    git("checkout", "-q", "main");
    await writeFile(waivers, "waivers: []\n");
    git("commit", "-q", "-am", "moved");
    git("checkout", "-q", "pr");
    git("stash", "pop", "-q");
    const moved = await run(root, [...pr, "--cache"]);
    const plain = await run(root, [...pr, "--no-cache"]);
    // The moved base holds the same tree as the head, so the head's entry answers it (content, not ref name).
    expect(moved.said.filter((s) => s.endsWith("hit"))).toEqual(["result hit", "result hit"]);
    expect(moved.r).toEqual(plain.r);
    expect(plain.r).not.toEqual(first.r);
  }, 600_000);

  it("held: concurrent cold runs store one consistent entry; a changed --baseline file is compared afresh on a hit", async () => {
    const root = track(await copyReferenceOrg());
    const runs = await Promise.all([0, 1, 2].map(() => run(root, [...ARGS, "--cache"])));
    const plain = await run(root, [...ARGS, "--no-cache"]);
    for (const r of runs) expect(r.r).toEqual(plain.r);
    const warm = await run(root, [...ARGS, "--cache"]);
    expect(warm.said).toEqual(["outputs hit"]);
    expect(warm.r).toEqual(plain.r);
    // PR mode against a baseline: the head is a hit, the comparison is not cached.
    const baseline = path.join(root, "baseline.json");
    await writeFile(baseline, plain.r.stdout);
    const md = ["check", "--now", NOW, "--format", "markdown", "--fail-on-new", "--baseline", baseline];
    expect((await run(root, [...md, "--cache"])).r).toEqual((await run(root, [...md, "--no-cache"])).r);
    const report = JSON.parse(plain.r.stdout);
    await writeFile(baseline, JSON.stringify({ ...report, findings: report.findings.slice(1) }));
    const changed = await run(root, [...md, "--cache"]);
    expect(changed.said).toContain("result hit");
    const changedPlain = await run(root, [...md, "--no-cache"]);
    expect(changed.r).toEqual(changedPlain.r);
    expect(changedPlain.r.code).toBe(1); // one finding is new now
  }, 600_000);

  it("a results folder planted as a link out of the root: nothing is written, read or deleted there", async () => {
    const root = track(await copyReferenceOrg());
    const outside = track(await tempDir());
    const cacheDir = path.join(root, "node_modules/.cache/tollgate");
    await mkdir(cacheDir, { recursive: true });
    await symlink(outside, path.join(cacheDir, "results"));
    const long = new Date(Date.now() - 3 * 3600_000);
    const foreign = { ".precious.tmp": "mine", [`${"a".repeat(64)}.json`]: "also mine" };
    for (const [name, text] of Object.entries(foreign)) {
      await writeFile(path.join(outside, name), text);
      await utimes(path.join(outside, name), long, long);
    }
    const plain = await run(root, [...ARGS, "--no-cache"]);
    for (let i = 0; i < 2; i++) {
      const cached = await run(root, [...ARGS, "--cache"]);
      expect(hit(cached.said)).toBe(false);
      expect(cached.said).toContain("result not stored");
      expect(cached.r).toEqual(plain.r);
    }
    expect((await readdir(outside)).sort()).toEqual(Object.keys(foreign).sort());
  }, 600_000);

  it("the per-file cache beside the results: planted links never carry a write or a prune's deletion out of the folder", async () => {
    const dir = track(await tempDir());
    const outside = track(await tempDir());
    const cache = new ParseCache({ dir, salt: "red-team" });
    const long = new Date(Date.now() - 90 * 24 * 3600_000);
    // A subfolder that is a link: prune used to remove every old file behind it, whatever its name.
    await writeFile(path.join(outside, "notes.txt"), "mine");
    await writeFile(path.join(outside, "f".repeat(62)), "also mine");
    for (const f of ["notes.txt", "f".repeat(62)]) await utimes(path.join(outside, f), long, long);
    await symlink(outside, path.join(dir, "ab"));
    // An entry that is a link: put() used to write the marker through it, over the file it names.
    const key = cache.key(new TextEncoder().encode("services: {}\n"));
    await mkdir(path.join(dir, key.slice(0, 2)), { recursive: true });
    await writeFile(path.join(outside, "target.txt"), "precious");
    await symlink(path.join(outside, "target.txt"), path.join(dir, key.slice(0, 2), key.slice(2)));
    // A subfolder link where an entry would be written.
    const other = cache.key(new TextEncoder().encode("channels: {}\n"));
    expect(other.slice(0, 2)).not.toBe(key.slice(0, 2));
    await symlink(outside, path.join(dir, other.slice(0, 2)));
    await cache.put(key);
    await cache.put(other);
    await cache.prune();
    expect((await readdir(outside)).sort()).toEqual(["f".repeat(62), "notes.txt", "target.txt"].sort());
    expect(await readFile(path.join(outside, "target.txt"), "utf8")).toBe("precious");
    // Its own stale entries still go.
    const own = cache.key(new TextEncoder().encode("alerts: {}\n"));
    await cache.put(own);
    const ownFile = path.join(dir, own.slice(0, 2), own.slice(2));
    expect(["ab", key.slice(0, 2), other.slice(0, 2)]).not.toContain(own.slice(0, 2));
    expect(await cache.has(own)).toBe(true);
    await utimes(ownFile, long, long);
    await cache.prune();
    expect(await cache.has(own)).toBe(false);
  });

  it("eviction removes only its own abandoned temporary files, not another program's dotfiles in the folder", async () => {
    const dir = track(await tempDir());
    const cache = new ResultCache(dir, "1.0.0");
    const state = { startedAt: Date.now(), configHash: "c", before: { digest: "d", newestMtimeMs: 0 } };
    expect(await cache.add(state, { n: "1" }, { n: 1 })).toBe(true);
    const own = `.${"b".repeat(64)}.json.1234.0123abcd.tmp`;
    const long = new Date(Date.now() - 3 * 3600_000);
    for (const name of [own, ".editor-swap.tmp", ".notes.tmp"]) {
      await writeFile(path.join(cache.folder, name), "x");
      await utimes(path.join(cache.folder, name), long, long);
    }
    await cache.evict();
    const names = await readdir(cache.folder);
    expect(names).not.toContain(own);
    expect(names).toEqual(expect.arrayContaining([".editor-swap.tmp", ".notes.tmp"]));
    // Over the bound, the oldest file named like an entry goes only if Tollgate wrote it (`--cache-location .` makes results/ the user's).
    const theirs = `${"c".repeat(64)}.json`;
    await writeFile(path.join(cache.folder, theirs), '{"artifact": 1}\n');
    await utimes(path.join(cache.folder, theirs), long, long);
    for (let i = 0; i < MAX_ENTRIES; i++) expect(await cache.add(state, { n: `more ${i}` }, { i })).toBe(true);
    const after = await readdir(cache.folder);
    expect(after).toContain(theirs);
    expect(after.filter((n) => /^[0-9a-f]{64}\.json$/.test(n) && n !== theirs).length).toBe(MAX_ENTRIES);
  });

  it("a policy's dotfile helpers are hashed, even one named like the transpiled modules older versions wrote", async () => {
    const root = track(await copyReferenceOrg());
    await mkdir(path.join(root, "policies-local"));
    await writeFile(path.join(root, "policies-local/.helper.tollgate.mjs"), "export const SEVERITY = 'warning';\n");
    const plan = { manifests: ["manifests", "secrets-manifest"], customPolicies: "policies-local" };
    const digest = async () =>
      (await digestInputs(root, root, plan, await readConfig(root), path.join(root, "node_modules/.cache/tollgate")))
        .digest;
    const first = await digest();
    await writeFile(path.join(root, "policies-local/.helper.tollgate.mjs"), "export const SEVERITY = 'note';\n");
    const changed = await digest();
    expect(changed).not.toBe(first);
    // TypeScript is transpiled in memory now: no file in the folder is Tollgate's to skip.
    await writeFile(path.join(root, "policies-local/.red-team.4242.0a1b2c3d.tollgate.mjs"), "transient\n");
    expect(await digest()).not.toBe(changed);
  });

  it("the first cold run of a config: a file deleted while the run reads the estate is caught, never stored under the tree that remains", async () => {
    const root = track(await copyReferenceOrg());
    const waivers = path.join(root, "waivers.yaml");
    await mkdir(path.join(root, "policies-local"), { recursive: true });
    // Runs after the loader read the waivers: deletes them, as a concurrent checkout or rm would.
    await writeFile(
      path.join(root, "policies-local/remove-waivers.mjs"),
      [
        'import { rmSync } from "node:fs";',
        "export default {",
        "  id: 'remove-waivers', title: 'Remove waivers', category: 'secrets', severity: 'note', rationale: 'r', remediation: 'r',",
        `  check() { rmSync(${JSON.stringify(waivers)}, { force: true }); },`,
        "};",
      ].join("\n"),
    );
    await withPolicies(root);
    const first = await run(root, [...ARGS, "--cache"]);
    expect(first.r.stdout).toContain('"waived": true');
    expect(first.said).toContain("result not stored");
    // The waivers are gone now: a cached run must say what an uncached one says, not replay the waived result.
    const cached = await run(root, [...ARGS, "--cache"]);
    const plain = await run(root, [...ARGS, "--no-cache"]);
    expect(hit(cached.said)).toBe(false);
    expect(cached.r).toEqual(plain.r);
    // tollgate.yaml names the waivers file: without it the truth is an input error, not a pass.
    expect(plain.r.code).toBe(2);
    expect(plain.r.stderr).toMatch(/waivers\.yaml.*path-not-found|path-not-found.*waivers/);
  });
});
