/**
 * The project root when --root is not given, found the way git and eslint find theirs: the nearest
 * folder, from the working directory up to the filesystem root, that holds tollgate.yaml (one above
 * the working directory only when the current user or root owns it).
 */
import { stat } from "node:fs/promises";
import path from "node:path";
import { UsageError } from "../util/usage-error.js";

// load/loader.ts CONFIG_FILE; not imported, so finding the root does not load the loader.
const CONFIG_FILE = "tollgate.yaml";

const isFile = (p: string) =>
  stat(p).then(
    (s) => s.isFile(),
    () => false,
  );
const isDir = (p: string) =>
  stat(p).then(
    (s) => s.isDirectory(),
    () => false,
  );

/**
 * A tollgate.yaml above the start must belong, with its folder, to the current user or root: one
 * another user planted (/tmp/tollgate.yaml) would have check import its custom policies, which are
 * code (as git's safe.directory check, CVE-2022-24765). No ownership on Windows: no check there.
 */
async function refuseForeign(dir: string): Promise<void> {
  const uid = process.getuid?.();
  if (uid === undefined) return;
  for (const p of [path.join(dir, CONFIG_FILE), dir]) {
    const owner = (await stat(p)).uid;
    if (owner !== uid && owner !== 0) {
      throw new UsageError(
        `${path.join(dir, CONFIG_FILE)} is owned by another user (uid ${owner}); not using a project found above the working directory that someone else controls`,
        "Pass --root DIR to name the project to check.",
        "no-project",
      );
    }
  }
}

/** The nearest folder at or above `start` holding tollgate.yaml, or undefined. */
export async function findProjectRoot(start: string): Promise<string | undefined> {
  const from = path.resolve(start);
  let dir = from;
  for (;;) {
    if (await isFile(path.join(dir, CONFIG_FILE))) {
      if (dir !== from) await refuseForeign(dir);
      return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * --root as given, else the found root as a path relative to `cwd` (so file names in output stay
 * short). Without tollgate.yaml anywhere up, a folder that has the default `manifests/` is still a
 * project (tollgate.yaml is optional); anything else is a usage error (exit 2).
 */
export async function resolveRoot(root: string | undefined, cwd = process.cwd()): Promise<string> {
  if (root !== undefined) return root;
  const found = await findProjectRoot(cwd);
  if (found) return path.relative(cwd, found) || ".";
  if (await isDir(path.join(cwd, "manifests"))) return ".";
  throw new UsageError(
    `no ${CONFIG_FILE} in ${cwd} or any folder above it`,
    "Run `tollgate init` to start a project here, or pass --root DIR.",
    "no-project",
  );
}
