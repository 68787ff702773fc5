#!/usr/bin/env node
// Runs the bundled CLI (dist/bundle/main.js: a few files instead of ~300 modules, so start-up stays
// fast). A packed or git-installed package ships it (built by `prepare`); in a clone, `npm ci` or
// `npm run build` builds it. Without the bundle (a tsc-only build), tsc's dist/cli/main.js runs.
import { existsSync } from "node:fs";
const bundle = new URL("../dist/bundle/main.js", import.meta.url);
const main = existsSync(bundle) ? bundle : new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("tollgate: the CLI is not built (dist/ is missing)\n  hint: run `npm run build` in the tollgate clone\n");
  process.exitCode = 2;
} else {
  const { run } = await import(main.href);
  run(process.argv).then((code) => { process.exitCode = code; });
}
