/**
 * The --cache: a second run finds every clean file in it (counters; removing or corrupting one
 * entry turns exactly that file into a miss), a changed byte is a miss, a file with a secret
 * finding is never stored, the folder must lie inside the root, and check/validate agree with and
 * without it.
 */
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadProject } from "../../load/loader.js";
import { NOW, copyReferenceOrg, removeDir, runCli, tempDir } from "../helpers/project.js";
import { secretFixtures } from "../security/secrets-fixtures.js";

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map(removeDir)));

async function org(): Promise<{ root: string; cache: { dir: string } }> {
  const root = await copyReferenceOrg();
  dirs.push(root);
  return { root, cache: { dir: path.join(root, "node_modules/.cache/tollgate") } };
}

async function entries(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const sub of await readdir(dir).catch(() => [] as string[]))
    for (const f of await readdir(path.join(dir, sub))) if (!f.startsWith(".")) out.push(path.join(dir, sub, f));
  return out;
}

describe("parse cache", () => {
  it("second load reads every file from the cache and gives the same model, diagnostics and positions", async () => {
    const { root, cache } = await org();
    const first = await loadProject(root, { now: NOW, cache, workers: 0 });
    expect(first.cacheStats!.hits).toBe(0);
    expect(first.cacheStats!.writes).toBeGreaterThan(3);
    const second = await loadProject(root, { now: NOW, cache, workers: 0 });
    expect(second.cacheStats).toEqual({
      hits: first.cacheStats!.writes,
      misses: first.cacheStats!.misses - first.cacheStats!.writes,
      writes: 0,
    });
    expect(second.diagnostics).toEqual(first.diagnostics);
    expect([...second.project.model.services]).toEqual([...first.project.model.services]);
    expect(second.project.sources.locate("services", "shopify-admin", ["tier"])).toEqual(
      first.project.sources.locate("services", "shopify-admin", ["tier"]),
    );
    // Also through worker threads.
    const third = await loadProject(root, { now: NOW, cache, workers: 2 });
    expect(third.cacheStats!.hits).toBe(first.cacheStats!.writes);
    await third.project.sources.dispose();
  });

  it("hits come from the entries on disk: a removed or corrupted entry is a miss (re-stored), never an error", async () => {
    const { root, cache } = await org();
    const first = await loadProject(root, { now: NOW, cache, workers: 0 });
    const files = await entries(cache.dir);
    expect(files.length).toBe(first.cacheStats!.writes);
    await rm(files[0]!);
    const removed = await loadProject(root, { now: NOW, cache, workers: 0 });
    expect(removed.cacheStats!.hits).toBe(files.length - 1);
    expect(removed.cacheStats!.writes).toBe(1);
    // Flip a byte: a miss, scanned again and stored again.
    await writeFile(
      files[1]!,
      (await readFile(files[1]!, "utf8")).replace(/[0-9a-f](?=\n$)/, (c) => (c === "0" ? "1" : "0")),
    );
    const corrupted = await loadProject(root, { now: NOW, cache, workers: 0 });
    expect(corrupted.cacheStats!.hits).toBe(files.length - 1);
    expect(corrupted.cacheStats!.writes).toBe(1);
    expect(corrupted.diagnostics).toEqual(first.diagnostics);
    // Garbage, an empty file and a folder in place of entries: misses too.
    const all = await entries(cache.dir);
    await writeFile(all[0]!, "garbage");
    await writeFile(all[1]!, "");
    await rm(all[2]!);
    await mkdir(all[2]!);
    const garbage = await loadProject(root, { now: NOW, cache, workers: 0 });
    expect(garbage.cacheStats!.hits).toBe(files.length - 3);
    expect(garbage.diagnostics).toEqual(first.diagnostics);
  });

  it("changing one byte of a file is a miss for that file only; a file with a pasted secret is never stored", async () => {
    const { root, cache } = await org();
    const first = await loadProject(root, { now: NOW, cache, workers: 0 });
    const file = path.join(root, "manifests/services/infra.yaml");
    await writeFile(file, (await readFile(file, "utf8")).replace("tier: critical", "tier: critical  "));
    const second = await loadProject(root, { now: NOW, cache, workers: 0 });
    expect(second.cacheStats!.writes).toBe(1);
    expect(second.cacheStats!.hits).toBe(first.cacheStats!.writes - 1);

    const leak = path.join(root, "manifests/leak.yaml");
    const token = secretFixtures().github;
    await writeFile(
      leak,
      `services:\n  leaky:\n    kind: infra\n    owner: a\n    tier: low\n    description: ${token}\n`,
    );
    const before = (await entries(cache.dir)).length;
    const third = await loadProject(root, { now: NOW, cache, workers: 0 });
    expect(third.diagnostics.some((d) => d.code === "secret-value")).toBe(true);
    expect(third.cacheStats!.writes).toBe(0);
    expect((await entries(cache.dir)).length).toBe(before);
    for (const f of await entries(cache.dir)) expect(await readFile(f, "utf8")).not.toContain(token);
  });

  it("CLI: --cache makes the second check read from the cache with the same report; --cache-location outside the root is a usage error", async () => {
    const { root } = await org();
    const out = await tempDir();
    dirs.push(out);
    const args = (n: number) => [
      "check",
      "--root",
      root,
      "--now",
      NOW,
      "--format",
      `json=${path.join(out, `r${n}.json`)}`,
      "--fail-on",
      "never",
      "--cache",
    ];
    const env = { TOLLGATE_CACHE_STATS: "1" };
    const a = await runCli(args(1), { env });
    // One byte more in one file: the whole-result cache misses (assess/cache/result-cache.ts), the other files are parse-cache hits.
    const file = path.join(root, "manifests/services/infra.yaml");
    await writeFile(file, `${await readFile(file, "utf8")}\n`);
    const b = await runCli(args(2), { env });
    expect(a.code).toBe(0);
    expect(a.stderr).toMatch(/cache: 0 hits, \d+ misses, [1-9]\d* writes/);
    expect(b.stderr).toMatch(/cache: [1-9]\d* hits, \d+ misses, 1 writes/);
    expect(b.stderr).toContain("cache: result stored");
    expect(await readFile(path.join(out, "r2.json"), "utf8")).toBe(await readFile(path.join(out, "r1.json"), "utf8"));
    const off = await runCli(["validate", "--root", root, "--now", NOW, "--no-cache"], { env });
    expect(off.stderr).not.toContain("cache:");
    const outside = await runCli([
      "validate",
      "--root",
      root,
      "--now",
      NOW,
      "--cache",
      "--cache-location",
      "../elsewhere",
    ]);
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain("must be inside the project root");
  }, 120_000);
});
