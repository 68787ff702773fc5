/**
 * A lockfile that lets `npm ci --offline` install a packed tollgate tarball without the network:
 * tests talk only to 127.0.0.1, so the adopter's dependency tree is taken from this repository's
 * own package-lock.json (whose tarballs `npm ci` of the repository put in npm's cache) instead of
 * being resolved against the registry. The versions are the ones this repository pins.
 */
import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [k: string]: unknown;
}

interface RepoPackage {
  version: string;
  license: string;
  bin: Record<string, string>;
  engines: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  bundleDependencies?: string[];
}

/** Writes package.json and package-lock.json into `project` for tollgate (the tarball) plus the named dev tools. */
export async function writeOfflineLock(repoRoot: string, project: string, tarball: string, tools: string[]): Promise<void> {
  const lock = JSON.parse(await readFile(path.join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, LockEntry> };
  const pkg = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as RepoPackage;
  const spec = `file:${path.relative(project, tarball)}`;
  const integrity = `sha512-${createHash("sha512").update(await readFile(tarball)).digest("base64")}`;
  const devDependencies: Record<string, string> = { tollgate: spec };
  for (const t of tools) devDependencies[t] = pkg.devDependencies[t]!;

  // Node's resolution over the lock's folders: a dependency is found in the nearest node_modules up the tree.
  const chosen = new Set<string>();
  const visit = (name: string, from: string): void => {
    for (let base = from; ; ) {
      const key = `${base ? `${base}/` : ""}node_modules/${name}`;
      const entry = lock.packages[key];
      if (entry) {
        if (chosen.has(key)) return;
        chosen.add(key);
        const deps = { ...entry.dependencies, ...entry.optionalDependencies, ...entry.peerDependencies };
        for (const d of Object.keys(deps)) {
          if (entry.peerDependenciesMeta?.[d]?.optional) continue;
          visit(d, key);
        }
        return;
      }
      if (!base) return;
      const i = base.lastIndexOf("/node_modules/");
      base = i < 0 ? "" : base.slice(0, i);
    }
  };
  // Bundled dependencies (the workspace package @tollgate/webhooks) travel inside the tarball.
  const bundled = pkg.bundleDependencies ?? [];
  for (const d of Object.keys(pkg.dependencies)) if (!bundled.includes(d)) visit(d, "");
  for (const t of tools) visit(t, "");

  const packages: Record<string, unknown> = {
    "": { name: "estate", version: "1.0.0", devDependencies },
    "node_modules/tollgate": { version: pkg.version, resolved: spec, integrity, dev: true, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  for (const name of bundled) {
    // The workspace's own entry (packages/<dir>) describes the package; in the adopter's tree it sits inside tollgate.
    const link = lock.packages[`node_modules/${name}`] as { resolved?: string } | undefined;
    const { name: _name, ...entry } = (link?.resolved ? lock.packages[link.resolved] : undefined) ?? {};
    packages[`node_modules/tollgate/node_modules/${name}`] = { ...entry, inBundle: true, dev: true };
  }
  for (const key of [...chosen].sort()) {
    const { peer: _peer, devOptional: _devOptional, ...entry } = lock.packages[key]!;
    packages[key] = { ...entry, dev: true };
  }
  const manifest = JSON.parse(await readFile(path.join(project, "package.json"), "utf8")) as Record<string, unknown>;
  await writeFile(path.join(project, "package.json"), `${JSON.stringify({ ...manifest, devDependencies }, null, 2)}\n`);
  await writeFile(path.join(project, "package-lock.json"), `${JSON.stringify({ name: "estate", version: "1.0.0", lockfileVersion: 3, requires: true, packages }, null, 2)}\n`);
}
