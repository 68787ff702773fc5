import { createRequire } from "node:module";

/** The package version, read once from package.json (two levels above dist/util/). */
export function version(): string {
  const require = createRequire(import.meta.url);
  try {
    return (require("../../package.json") as { version: string }).version;
  } catch {
    // Run from the TypeScript sources (tests): one level less.
    return (require("../package.json") as { version: string }).version;
  }
}
