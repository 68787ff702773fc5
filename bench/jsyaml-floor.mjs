// The js-yaml floor (issue #13): `js-yaml` load of every manifest file, values only, nothing else.
// usage: node bench/jsyaml-floor.mjs <dir>
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import yaml from "js-yaml";

const files = [];
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) walk(p);
    else if (p.endsWith(".yaml")) files.push(p);
  }
};
for (const sub of ["manifests", "secrets-manifest"]) walk(path.join(process.argv[2], sub));
let entries = 0;
for (const f of files) entries += Object.keys(yaml.load(readFileSync(f, "utf8")) ?? {}).length;
if (entries === 0) process.exitCode = 1;
