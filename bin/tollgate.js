#!/usr/bin/env node
// Runs the compiled CLI so start-up stays fast. The published package ships dist/ (built by
// `prepack`); in a clone, `npm run build` (or `npm test`) builds it.
import { existsSync } from "node:fs";
const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("tollgate: the CLI is not built (dist/ is missing)\n  hint: run `npm run build` in the tollgate clone\n");
  process.exitCode = 2;
} else {
  const { run } = await import(main.href);
  run(process.argv).then((code) => { process.exitCode = code; });
}
