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

/**
 * A dev tool the adopter installs: a package this repository has as a dev dependency, under its
 * own name or (`from`) under an npm alias, e.g. TypeScript 7 as `typescript-7` -> `typescript`.
 */
export type Tool = string | { name: string; from: string };

/**
 * The registry tarball of a package: this repository's lockfile leaves `resolved` out, and without
 * it npm looks the version up in the package's metadata, which the cache may hold only in another
 * form than `npm ci` asks for; the tarball itself is cached by exactly this URL.
 */
function tarballUrl(name: string, version: string): string {
  return `https://registry.npmjs.org/${name}/-/${name.split("/").pop()}-${version}.tgz`;
}

/** Writes package.json and package-lock.json into `project` for tollgate (the tarball) plus the named dev tools. */
export async function writeOfflineLock(
  repoRoot: string,
  project: string,
  tarball: string,
  tools: Tool[],
): Promise<void> {
  const lock = JSON.parse(await readFile(path.join(repoRoot, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const pkg = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as RepoPackage;
  const spec = `file:${path.relative(project, tarball)}`;
  const integrity = `sha512-${createHash("sha512")
    .update(await readFile(tarball))
    .digest("base64")}`;
  const devDependencies: Record<string, string> = { tollgate: spec };
  // Lock folders of aliased tools, by the name the adopter installs them under.
  const renamed = new Map<string, string>();
  for (const t of tools) {
    const { name, from } = typeof t === "string" ? { name: t, from: t } : t;
    devDependencies[name] = pkg.devDependencies[from]!.replace(/^npm:[^@]+@/, "");
    if (from !== name) renamed.set(`node_modules/${from}`, `node_modules/${name}`);
  }

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
  // Bundled dependencies (the workspace packages) travel inside the tarball.
  const bundled = pkg.bundleDependencies ?? [];
  for (const d of Object.keys(pkg.dependencies)) if (!bundled.includes(d)) visit(d, "");
  for (const t of tools) visit(typeof t === "string" ? t : t.from, "");
  const rename = (key: string): string => {
    for (const [from, to] of renamed)
      if (key === from || key.startsWith(`${from}/`)) return to + key.slice(from.length);
    return key;
  };

  const packages: Record<string, unknown> = {
    "": { name: "estate", version: "1.0.0", devDependencies },
    "node_modules/tollgate": {
      version: pkg.version,
      resolved: spec,
      integrity,
      dev: true,
      license: pkg.license,
      dependencies: pkg.dependencies,
      ...(pkg.bundleDependencies ? { bundleDependencies: pkg.bundleDependencies } : {}),
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  for (const name of bundled) {
    // The workspace's own entry (packages/<dir>) describes the package; in the adopter's tree it sits inside tollgate.
    const link = lock.packages[`node_modules/${name}`] as { resolved?: string } | undefined;
    const { name: _name, ...entry } = (link?.resolved ? lock.packages[link.resolved] : undefined) ?? {};
    packages[`node_modules/tollgate/node_modules/${name}`] = { ...entry, inBundle: true, dev: true };
  }
  for (const key of [...chosen].sort()) {
    const { peer: _peer, devOptional: _devOptional, ...entry } = lock.packages[key]!;
    const to = rename(key);
    if (packages[to]) throw new Error(`${key} and another package both install at ${to}`);
    // An alias installed under its real name is no alias any more.
    if (to !== key && entry.name === path.posix.basename(to)) delete entry.name;
    packages[to] = {
      ...entry,
      ...(entry.resolved || entry.link
        ? {}
        : {
            resolved: tarballUrl(
              String(entry.name ?? key.slice(key.lastIndexOf("node_modules/") + 13)),
              entry.version!,
            ),
          }),
      dev: true,
    };
  }
  const manifest = JSON.parse(await readFile(path.join(project, "package.json"), "utf8")) as Record<string, unknown>;
  await writeFile(path.join(project, "package.json"), `${JSON.stringify({ ...manifest, devDependencies }, null, 2)}\n`);
  await writeFile(
    path.join(project, "package-lock.json"),
    `${JSON.stringify({ name: "estate", version: "1.0.0", lockfileVersion: 3, requires: true, packages }, null, 2)}\n`,
  );
}
