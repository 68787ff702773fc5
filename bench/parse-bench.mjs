// Issue #13 rows of `npm run bench`: the js-yaml floor, the --cache rows (cold vs warm check) and
// the 16 MiB single-file case. bench/run.mjs calls these with its own measure().
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "./generate.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const BIN = path.join(ROOT, "bin/tollgate.js");
const LIMIT = 16 * 1024 * 1024;

/** js-yaml load of every file (values only), and check cold and warm with --cache. */
export async function parseRows(measure, dir, { now, runs, work }) {
  const jsyaml = await measure("floor: js-yaml load", path.join(ROOT, "bench/jsyaml-floor.mjs"), [dir], { runs });
  const cacheDir = path.join(dir, "node_modules/.cache/tollgate");
  const args = [
    "check",
    "--root",
    dir,
    "--now",
    now,
    "--format",
    `json=${path.join(work, "cache.json")}`,
    "--fail-on",
    "never",
    "--cache",
  ];
  rmSync(cacheDir, { recursive: true, force: true });
  // Cold: one run on an empty cache (it fills the cache, so it cannot be repeated as is).
  const cacheCold = await measure("tollgate check --cache (cold, 1 run)", BIN, args, { runs: 1, okCodes: [0] });
  const cacheWarm = await measure("tollgate check --cache (warm)", BIN, args, { runs, okCodes: [0] });
  rmSync(cacheDir, { recursive: true, force: true });
  return { jsyaml, cacheCold, cacheWarm };
}

export function parseRatios(row) {
  return {
    validateVsJsYaml: +(row.validate.medianMs / row.parse.jsyaml.medianMs).toFixed(2),
    checkVsJsYaml: +(row.checkAll.medianMs / row.parse.jsyaml.medianMs).toFixed(2),
    warmVsCold: +(row.parse.cacheWarm.medianMs / row.parse.cacheCold.medianMs).toFixed(2),
  };
}

function yamlFiles(d, out = []) {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = path.join(d, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (p.endsWith(".yaml")) out.push(p);
  }
  return out;
}

/** Every section of a generated organization in one manifest file just under the 16 MiB default limit. */
function bigOrg(dir, now) {
  let secrets = 28_000;
  for (let attempt = 0; attempt < 4; attempt++) {
    // The plain subset: realistic files each start with `---` and define their own anchors, so they cannot be concatenated.
    generate(dir, { services: secrets / 5, secrets, seed: 5, now, perFile: secrets, style: "plain" });
    const files = yamlFiles(path.join(dir, "manifests")).concat(yamlFiles(path.join(dir, "secrets-manifest")));
    const text = files.map((f) => readFileSync(f, "utf8").replace(/^#.*\n/, "")).join("\n");
    const bytes = Buffer.byteLength(text);
    if (bytes <= LIMIT && bytes > LIMIT * 0.9) {
      for (const f of files) rmSync(f);
      writeFileSync(path.join(dir, "manifests/all.yaml"), text);
      return { secrets, bytes };
    }
    secrets = Math.floor((secrets * LIMIT * 0.97) / bytes / 5) * 5;
  }
  throw new Error("could not size the 16 MiB file");
}

export async function bigFileBench(measure, work, { now, runs }) {
  const dir = path.join(work, "big-file");
  const { secrets, bytes } = bigOrg(dir, now);
  const size = statSync(path.join(dir, "manifests/all.yaml")).size;
  const jsyaml = await measure("floor: js-yaml load (16 MiB file)", path.join(ROOT, "bench/jsyaml-floor.mjs"), [dir], {
    runs,
  });
  const validate = await measure(
    "tollgate validate (16 MiB file)",
    BIN,
    ["validate", "--root", dir, "--now", now, "--format", "json"],
    { runs, okCodes: [0] },
  );
  const check = await measure(
    "tollgate check (16 MiB file)",
    BIN,
    ["check", "--root", dir, "--now", now, "--format", `json=${path.join(work, "big.json")}`, "--fail-on", "never"],
    { runs, okCodes: [0] },
  );
  rmSync(dir, { recursive: true, force: true });
  return {
    bytes: size,
    secrets,
    jsyaml,
    validate,
    check,
    ratios: {
      validateVsJsYaml: +(validate.medianMs / jsyaml.medianMs).toFixed(2),
      checkVsJsYaml: +(check.medianMs / jsyaml.medianMs).toFixed(2),
    },
    generatedBytes: bytes,
  };
}

export function parseMarkdown(results) {
  const ms = (m) => `${m.medianMs} ms, ${m.peakRssMb} MB`;
  const lines = [
    "## Parsing floor (js-yaml) and the cache",
    "",
    "`js-yaml` load of every file, values only, is the floor of issue #13; goals: validate and check ≤ 2× it, warm `check --cache` ≤ 0.3× cold.",
    "",
    "| secrets | js-yaml load | tollgate validate | × js-yaml | tollgate check, all policies | × js-yaml | check --cache cold (1 run) | check --cache warm | warm ÷ cold |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...results.scale
      .filter((r) => r.parse)
      .map(
        (r) =>
          `| ${r.secrets.toLocaleString("en")} | ${ms(r.parse.jsyaml)} | ${ms(r.validate)} | ${r.parseRatios.validateVsJsYaml} | ${ms(r.checkAll)} | ${r.parseRatios.checkVsJsYaml} | ${ms(r.parse.cacheCold)} | ${ms(r.parse.cacheWarm)} | ${r.parseRatios.warmVsCold} |`,
      ),
    "",
  ];
  const b = results.bigFile;
  if (b) {
    lines.push(
      "## One 16 MiB manifest file",
      "",
      `Every section of a generated organization (${b.secrets.toLocaleString("en")} secrets) in one file of ${b.bytes.toLocaleString("en")} bytes, under the default 16 MiB limit.`,
      "",
      "| js-yaml load | tollgate validate | × js-yaml | tollgate check | × js-yaml |",
      "|---:|---:|---:|---:|---:|",
      `| ${ms(b.jsyaml)} | ${ms(b.validate)} | ${b.ratios.validateVsJsYaml} | ${ms(b.check)} | ${b.ratios.checkVsJsYaml} |`,
      "",
    );
  }
  return lines.join("\n");
}
