/**
 * The folder of the installed tollgate package (the one holding its package.json): where `init`
 * finds the bundled starter and reference organization. Found by walking up from this module, so
 * it is the same from dist/ and from the TypeScript sources the tests run.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

export function packageRoot(): string {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "tollgate")
      return (cached = dir);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("tollgate's package.json was not found above its own modules");
    dir = parent;
  }
}
