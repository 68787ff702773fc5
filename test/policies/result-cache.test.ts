/**
 * The whole-result layer of --cache (assess/cache/result-cache.ts): a warm run writes exactly what a run
 * without the cache writes (stdout, stderr, every output file, exit code) for every format; every
 * input and result-changing option is in the key (each mutation misses, an unchanged estate hits);
 * corrupt entries and another version are misses, never errors; a run that found a secret value is
 * never stored and the value is in no cache file; PR mode's base reuses a main-branch run's entry;
 * the folder stays bounded. Hits are observed through TOLLGATE_CACHE_STATS=1, whose lines are
 * removed before outputs are compared.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cp, mkdir, readdir, readFile, rename, rm, symlink, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_ENTRIES, ResultCache } from "../../assess/cache/result-cache.js";
import { digestInputs, readConfig } from "../../assess/cache/result-inputs.js";
import { modulesLoadedBy } from "../helpers/loaded-modules.js";
import { NOW, REPO, copyReferenceOrg, removeDir, runCli, tempDir, type CliResult } from "../helpers/project.js";
import { secretFixtures } from "../security/secrets-fixtures.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));
const track = (d: string) => (dirs.push(d), d);

const STATS = { TOLLGATE_CACHE_STATS: "1" };
const FILE_FORMATS = ["json", "sarif", "junit", "markdown", "github", "gitlab", "prometheus", "html", "badge"];

/** The reference organization plus a custom policy (with a helper in a subfolder). */
async function org(): Promise<string> {
  const root = track(await copyReferenceOrg());
  await mkdir(path.join(root, "policies-local/lib"), { recursive: true });
  await writeFile(path.join(root, "policies-local/lib/prefix.txt"), "team-\n");
  await writeFile(
    path.join(root, "policies-local/owner-prefix.mjs"),
    [
      "export default {",
      "  id: 'owner-prefix', title: 'Owners are teams', category: 'secrets', severity: 'warning',",
      "  rationale: 'Secrets owned by individuals are orphaned when they leave.', remediation: 'Use a team-* owner.',",
      "  check({ model }, report) { for (const [name, s] of model.secrets) if (!String(s.owner ?? '').startsWith('team-')) report({ subject: `secret/${name}`, message: 'owner is not a team', at: { section: 'secrets', name, path: ['owner'] } }); },",
      "};",
    ].join("\n"),
  );
  await writeFile(
    path.join(root, "tollgate.yaml"),
    `${await readFile(path.join(root, "tollgate.yaml"), "utf8")}customPolicies: policies-local\n`,
  );
  return root;
}

/** What the cache said, and the run without those lines. */
function split(r: CliResult): { said: string[]; run: CliResult } {
  const lines = r.stderr.split("\n");
  return {
    said: lines.filter((l) => l.startsWith("tollgate: cache: ")).map((l) => l.slice(17)),
    run: { ...r, stderr: lines.filter((l) => !l.startsWith("tollgate: cache: ")).join("\n") },
  };
}

async function run(
  root: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string | undefined> } = {},
) {
  return split(await runCli(args, { cwd: opts.cwd ?? root, env: { ...STATS, ...opts.env } }));
}

const hit = (said: string[]) => said.includes("outputs hit") || said.includes("result hit");

/** Every output of a run with all formats: stdout (text), stderr, exit code and each file's bytes. */
async function everything(
  root: string,
  out: string,
  extra: string[],
  opts: { env?: Record<string, string | undefined> } = {},
) {
  await rm(out, { recursive: true, force: true });
  await mkdir(out, { recursive: true });
  const args = [
    "check",
    "--now",
    NOW,
    "--format",
    "text",
    ...FILE_FORMATS.flatMap((f) => ["--format", `${f}=${path.join(out, `report.${f}`)}`]),
    ...extra,
  ];
  const { said, run: r } = await run(root, args, opts);
  const files: Record<string, string> = {};
  for (const f of FILE_FORMATS) files[f] = await readFile(path.join(out, `report.${f}`), "utf8");
  return { said, result: { ...r, files } };
}

async function cacheFiles(root: string): Promise<string[]> {
  const base = path.join(root, "node_modules/.cache/tollgate");
  const out: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (e.isDirectory()) await walk(path.join(d, e.name));
      else out.push(path.join(d, e.name));
    }
  };
  await walk(base);
  return out;
}

describe("result cache", () => {
  it("a warm run writes byte for byte what a run without the cache writes, for every format, colour and exit code; validate too", async () => {
    const root = await org();
    const out = track(await tempDir());
    const reference = await everything(root, out, ["--no-cache"]);
    expect(reference.result.code).toBe(1); // the reference organization fails its gate: the exit code is part of it
    expect(reference.result.stdout.length).toBeGreaterThan(100);
    const cold = await everything(root, out, ["--cache"]);
    expect(cold.said).toContain("result stored");
    const warm = await everything(root, out, ["--cache"]);
    expect(warm.said).toEqual(["outputs hit"]);
    expect(cold.result).toEqual(reference.result);
    expect(warm.result).toEqual(reference.result);
    // Another rendering of the same result (colour, --explain, quiet): rendered from the stored result, still identical.
    for (const [extra, env] of [
      [["--explain"], {}],
      [["--quiet"], {}],
      [[], { NO_COLOR: undefined, FORCE_COLOR: "1" }],
    ] as const) {
      const plain = await everything(root, out, ["--no-cache", ...extra], { env });
      const first = await everything(root, out, ["--cache", ...extra], { env });
      expect(first.said).toContain("result hit");
      const again = await everything(root, out, ["--cache", ...extra], { env });
      expect(again.said).toEqual(["outputs hit"]);
      expect(first.result).toEqual(plain.result);
      expect(again.result).toEqual(plain.result);
      expect(plain.result).not.toEqual(reference.result);
    }
    for (const format of [["text"], ["json"]]) {
      const args = ["validate", "--now", NOW, "--format", ...format];
      const plain = await run(root, [...args, "--no-cache"]);
      const first = await run(root, [...args, "--cache"]);
      const again = await run(root, [...args, "--cache"]);
      expect(again.said).toEqual(["result hit"]);
      expect(first.run).toEqual(plain.run);
      expect(again.run).toEqual(plain.run);
    }
  }, 600_000);

  it("every input and result-changing option is in the key: each mutation misses, the unchanged estate (files touched) hits", async () => {
    const root = await org();
    const base = ["check", "--now", NOW, "--format", "json", "--cache"];
    const warm = async (args = base, cwd = root) => {
      await run(root, args, { cwd });
      const again = await run(root, args, { cwd });
      expect(again.said, args.join(" ")).toEqual(["outputs hit"]);
    };
    await warm();
    const edit = async (rel: string, fn: (s: string) => string) =>
      writeFile(path.join(root, rel), fn(await readFile(path.join(root, rel), "utf8")));
    const mutations: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
      [
        "one manifest byte",
        () => edit("manifests/services/infra.yaml", (s) => `${s} `),
        () => edit("manifests/services/infra.yaml", (s) => s.slice(0, -1)),
      ],
      [
        "a waiver",
        () => edit("waivers.yaml", (s) => s.replace("PLAT-412", "PLAT-413")),
        () => edit("waivers.yaml", (s) => s.replace("PLAT-413", "PLAT-412")),
      ],
      [
        "config (a comment)",
        () => edit("tollgate.yaml", (s) => `${s}# x\n`),
        () => edit("tollgate.yaml", (s) => s.replace(/# x\n$/, "")),
      ],
      [
        "a policy option",
        () => edit("tollgate.yaml", (s) => s.replace("windowDays: 14", "windowDays: 15")),
        () => edit("tollgate.yaml", (s) => s.replace("windowDays: 15", "windowDays: 14")),
      ],
      [
        "a custom policy file",
        () => edit("policies-local/owner-prefix.mjs", (s) => `${s}\n`),
        () => edit("policies-local/owner-prefix.mjs", (s) => s.slice(0, -1)),
      ],
      [
        "a file beside the custom policies",
        () => edit("policies-local/lib/prefix.txt", () => "squad-\n"),
        () => edit("policies-local/lib/prefix.txt", () => "team-\n"),
      ],
      [
        "an added file",
        () => writeFile(path.join(root, "manifests/zz-extra.yaml"), "channels: {}\n"),
        () => rm(path.join(root, "manifests/zz-extra.yaml")),
      ],
      [
        "a removed file",
        () => rename(path.join(root, "manifests/alerts.yaml"), path.join(root, "alerts.yaml.off")),
        () => rename(path.join(root, "alerts.yaml.off"), path.join(root, "manifests/alerts.yaml")),
      ],
      [
        "a renamed file",
        () => rename(path.join(root, "manifests/alerts.yaml"), path.join(root, "manifests/alerts2.yaml")),
        () => rename(path.join(root, "manifests/alerts2.yaml"), path.join(root, "manifests/alerts.yaml")),
      ],
    ];
    for (const [name, mutate, revert] of mutations) {
      await mutate();
      const changed = await run(root, base);
      expect(hit(changed.said), name).toBe(false);
      await revert();
      const back = await run(root, base);
      expect(back.said, `${name} reverted`).toEqual(["outputs hit"]);
    }
    // Options: another result (miss) or only another rendering (the stored result, not the stored outputs).
    const options: [string, string[], "miss" | "result hit" | "outputs hit"][] = [
      ["--now", ["check", "--now", "2026-12-24", "--format", "json", "--cache"], "miss"],
      ["--env", ["check", "--now", NOW, "--env", "staging", "--format", "json", "--cache"], "miss"],
      ["--format", ["check", "--now", NOW, "--format", "sarif", "--cache"], "result hit"],
      // Without colour the bytes of json are the same on stdout and in a file: the stored outputs answer.
      [
        "--format to a file",
        ["check", "--now", NOW, "--format", `json=${path.join(root, "r.json")}`, "--cache"],
        "outputs hit",
      ],
    ];
    for (const [name, args, expected] of options) {
      const r = await run(root, args);
      expect(
        r.said.filter((s) => s.endsWith("hit")),
        name,
      ).toEqual(expected === "miss" ? [] : [expected]);
    }
    // --fail-on changes only the exit code, which a hit recomputes.
    const never = await run(root, [...base, "--fail-on", "never"]);
    expect(never.said).toEqual(["outputs hit"]);
    expect(never.run.code).toBe(0);
    expect((await run(root, base)).run.code).toBe(1);
    // ...except for the badge, whose colour is the verdict: another rendering of the stored result.
    const badge = ["check", "--now", NOW, "--format", `badge=${path.join(root, "b.svg")}`, "--cache"];
    await run(root, badge);
    expect((await run(root, [...badge, "--fail-on", "never"])).said.filter((s) => s.endsWith("hit"))).toEqual([
      "result hit",
    ]);
    // Seen from another folder, paths in the report differ: another entry.
    const elsewhere = await run(root, [...base, "--root", root], { cwd: path.join(root, "manifests") });
    expect(hit(elsewhere.said)).toBe(false);
    // Content-addressed: touching every file changes nothing.
    const later = new Date(Date.now() - 1000);
    for (const f of ["tollgate.yaml", "waivers.yaml", "manifests/alerts.yaml", "policies-local/owner-prefix.mjs"])
      await utimes(path.join(root, f), later, later);
    expect((await run(root, base)).said).toEqual(["outputs hit"]);
  }, 600_000);

  it("corrupt, truncated or foreign entries and an unwritable folder are misses with the same output, never errors", async () => {
    const root = await org();
    const args = ["check", "--now", NOW, "--format", "json", "--cache"];
    const reference = (await run(root, args)).run;
    const results = path.join(root, "node_modules/.cache/tollgate/results");
    const entries = async () =>
      (await readdir(results)).filter((n) => !n.startsWith("plan-")).map((n) => path.join(results, n));
    const plan = (await readdir(results)).find((n) => n.startsWith("plan-"))!;
    expect((await run(root, args)).said).toEqual(["outputs hit"]);
    // One byte flipped in each entry's body: both are misses, the run evaluates afresh and stores again.
    for (const f of await entries()) {
      const buf = await readFile(f);
      buf[buf.length - 2] = buf[buf.length - 2]! ^ 1;
      await writeFile(f, buf);
    }
    const flipped = await run(root, args);
    expect(hit(flipped.said)).toBe(false);
    expect(flipped.run).toEqual(reference);
    // Truncated, emptied, another version's header, garbage in the plan.
    const [a, b] = await entries();
    await writeFile(a!, (await readFile(a!)).subarray(0, 100));
    await writeFile(b!, (await readFile(b!, "utf8")).replace(/"version":"[^"]+"/, '"version":"0.0.0-other"'));
    await writeFile(path.join(results, plan), "{not json");
    const broken = await run(root, args);
    expect(hit(broken.said)).toBe(false);
    expect(broken.run).toEqual(reference);
    // The results folder replaced by a file: nothing can be stored, and that is no error either.
    await rm(results, { recursive: true });
    await writeFile(results, "in the way");
    const blocked = await run(root, args);
    expect(blocked.said).toContain("result not stored");
    expect(blocked.run).toEqual(reference);
  }, 600_000);

  it("a run that found a secret value is never stored, and the value is in no cache file", async () => {
    const root = await org();
    const args = ["check", "--now", NOW, "--format", "json", "--cache"];
    await run(root, args);
    const before = await cacheFiles(root);
    expect(before.some((f) => f.includes("/results/"))).toBe(true);
    const token = secretFixtures().github;
    await writeFile(
      path.join(root, "manifests/leak.yaml"),
      `services:\n  leaky:\n    kind: infra\n    owner: a\n    tier: low\n    description: ${token}\n`,
    );
    for (let i = 0; i < 2; i++) {
      const leaked = await run(root, args);
      expect(leaked.run.code).toBe(2);
      expect(leaked.run.stdout).not.toContain(token);
      expect(hit(leaked.said)).toBe(false);
    }
    const validate = await run(root, ["validate", "--now", NOW, "--cache"]);
    expect(validate.run.code).toBe(2);
    expect((await cacheFiles(root)).filter((f) => f.includes("/results/")).sort()).toEqual(
      before.filter((f) => f.includes("/results/")).sort(),
    );
    for (const f of await cacheFiles(root)) expect(await readFile(f, "utf8"), f).not.toContain(token);
  }, 600_000);

  it("another Tollgate version misses (and answers with its own version)", async () => {
    const root = await org();
    const args = ["check", "--now", NOW, "--format", "json", "--cache"];
    await run(root, args);
    expect((await run(root, args)).said).toEqual(["outputs hit"]);
    // The same build installed as another version.
    const install = track(await tempDir());
    await cp(path.join(REPO, "bin"), path.join(install, "bin"), { recursive: true });
    await cp(path.join(REPO, "dist"), path.join(install, "dist"), { recursive: true });
    const pkg = JSON.parse(await readFile(path.join(REPO, "package.json"), "utf8"));
    await writeFile(path.join(install, "package.json"), JSON.stringify({ ...pkg, version: "99.0.0-next" }));
    await symlink(path.join(REPO, "node_modules"), path.join(install, "node_modules"));
    const other = execFileSync(
      process.execPath,
      [path.join(install, "bin/tollgate.js"), ...args, "--fail-on", "never"],
      {
        cwd: root,
        env: { ...process.env, ...STATS, NO_COLOR: "1" },
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    expect(JSON.parse(other).tool.version).toBe("99.0.0-next");
    // The original version still hits its own entry.
    expect((await run(root, args)).said).toEqual(["outputs hit"]);
  }, 600_000);

  it("PR mode: the base side reuses the entry a main-branch check stored, and the PR output is unchanged", async () => {
    const root = await org();
    const git = (...a: string[]) => execFileSync("git", ["-C", root, ...a], { encoding: "utf8" });
    git("init", "-q", "-b", "main");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "add", "-A");
    git("-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "base");
    const main = await run(root, ["check", "--now", NOW, "--format", "json", "--cache"]);
    expect(main.said).toContain("result stored");
    await writeFile(
      path.join(root, "manifests/services/infra.yaml"),
      (await readFile(path.join(root, "manifests/services/infra.yaml"), "utf8")).replace(
        "tier: critical",
        "tier: high",
      ),
    );
    const pr = ["check", "--now", NOW, "--format", "markdown", "--base", "main", "--fail-on-new"];
    const plain = await run(root, [...pr, "--no-cache"]);
    const cached = await run(root, [...pr, "--cache"]);
    expect(cached.said).toContain("result hit"); // the base
    expect(cached.run).toEqual(plain.run);
    const again = await run(root, [...pr, "--cache"]);
    expect(again.said.filter((s) => s.endsWith("hit"))).toEqual(["result hit", "result hit"]); // head and base
    expect(again.run).toEqual(plain.run);
  }, 600_000);

  it("the folder is bounded: beyond MAX_ENTRIES the least recently used entries go, other files stay", async () => {
    const dir = track(await tempDir());
    const cache = new ResultCache(dir, "1.0.0");
    const state = { startedAt: Date.now(), configHash: "c", before: { digest: "d", newestMtimeMs: 0 } };
    await mkdir(cache.folder, { recursive: true });
    await writeFile(path.join(cache.folder, "notes.txt"), "not ours");
    for (let i = 0; i < MAX_ENTRIES + 5; i++) {
      expect(await cache.add(state, { n: String(i) }, { i })).toBe(true);
      const file = path.join(cache.folder, `${cache.key({ n: String(i) }, "d")}.json`);
      await utimes(file, new Date(1e12 + i * 1000), new Date(1e12 + i * 1000));
    }
    await cache.evict();
    const names = await readdir(cache.folder);
    expect(names).toContain("notes.txt");
    expect(names.length).toBe(MAX_ENTRIES + 1);
    expect((await cache.get<{ i: number }>(state, { n: String(MAX_ENTRIES + 4) }))?.value).toEqual({
      i: MAX_ENTRIES + 4,
    });
    expect(await cache.get(state, { n: "0" })).toBeUndefined();
    // Another version reads nothing of this one.
    expect(await new ResultCache(dir, "1.0.1").get(state, { n: String(MAX_ENTRIES + 4) })).toBeUndefined();
  });

  it("the inputs' digest: stable, and changed by a nested manifest, a link out of the root with the same bytes, or the folder paths are shown from", async () => {
    const root = await org();
    const outside = track(await tempDir());
    const plan = {
      manifests: ["manifests", "secrets-manifest"],
      waivers: "waivers.yaml",
      customPolicies: "policies-local",
    };
    const skip = path.join(root, "node_modules/.cache/tollgate");
    const digest = async (base = root) => (await digestInputs(root, base, plan, await readConfig(root), skip)).digest;
    const first = await digest();
    expect(await digest()).toBe(first);
    await mkdir(path.join(root, "manifests/deep/er"), { recursive: true });
    await writeFile(path.join(root, "manifests/deep/er/x.yaml"), "channels: {}\n");
    const nested = await digest();
    expect(nested).not.toBe(first);
    await writeFile(path.join(root, "manifests/deep/er/notes.txt"), "not a manifest\n");
    expect(await digest()).toBe(nested); // the loader reads only *.yaml / *.yml
    // The same bytes through a link to outside the root: the loader refuses it, so it must not hit.
    await cp(path.join(root, "waivers.yaml"), path.join(outside, "waivers.yaml"));
    await rename(path.join(root, "waivers.yaml"), path.join(root, "waivers.orig"));
    await symlink(path.join(outside, "waivers.yaml"), path.join(root, "waivers.yaml"));
    const linked = await digest();
    expect(linked).not.toBe(nested);
    await rm(path.join(root, "waivers.yaml"));
    await rename(path.join(root, "waivers.orig"), path.join(root, "waivers.yaml"));
    expect(await digest()).toBe(nested);
    expect(await digest(path.join(root, "manifests"))).not.toBe(nested);
    // Files are hashed in chunks: a byte changed far past the first chunk, in a manifest and in
    // the waivers file, still misses.
    const big = path.join(root, "manifests/deep/er/big.yaml");
    const body = `# ${"x".repeat(1_500_000)}\nchannels: {}\n`;
    await writeFile(big, body);
    const bigDigest = await digest();
    await writeFile(big, body.replace("x\n", "y\n"));
    expect(await digest()).not.toBe(bigDigest);
    const waivers = await readFile(path.join(root, "waivers.yaml"), "utf8");
    await writeFile(big, body);
    await writeFile(path.join(root, "waivers.yaml"), `${waivers}# ${"w".repeat(700_000)}\n`);
    const longWaivers = await digest();
    await writeFile(path.join(root, "waivers.yaml"), `${waivers}# ${"w".repeat(699_999)}v\n`);
    expect(await digest()).not.toBe(longWaivers);
  });

  it("a warm run loads neither the loader nor zod, yaml or secretlint (it hashes bytes and replays)", async () => {
    const root = await org();
    const args = ["check", "--now", NOW, "--format", "json", "--cache", "--fail-on", "never"];
    await run(root, args);
    const made: string[] = [];
    const modules = async (extra: string[]) => {
      const r = await modulesLoadedBy([...args, ...extra], { cwd: root, env: STATS, dirs: made });
      for (const d of made.splice(0)) track(d);
      expect(r.status, r.stderr).toBe(0);
      return { said: r.stderr, loaded: r.modules };
    };
    const heavy = (loaded: string[]) =>
      loaded.filter((u) =>
        /(?:^|\/)node_modules\/(zod|yaml|@secretlint)\/|\/load\/loader\.|\/policies\/engine\./.test(u),
      );
    const warm = await modules([]);
    expect(warm.said).toContain("outputs hit");
    expect(heavy(warm.loaded)).toEqual([]);
    // The recorder sees them when the run does evaluate.
    const cold = await modules(["--no-cache"]);
    expect(heavy(cold.loaded).length).toBeGreaterThan(0);
  });
});
