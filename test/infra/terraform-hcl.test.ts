/**
 * The Terraform stacks synth writes are read by HashiCorp's HCL v2 (hcldec, built from Debian's
 * source) against the schema Terraform decodes a configuration with (test/fixtures/terraform):
 * the JSON stacks, the `--hcl` eject output, and a workdir holding HCL's template sequences.
 * Terraform and OpenTofu are not in Debian, and `validate` would download the null provider.
 */
import { cp, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { terraformLiteral } from "../../infra/generate/encode.js";
import { buildHcldec, hcldec } from "../helpers/hcldec.js";
import { terraformString } from "../security/grammar-outputs.js";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";

const SPEC = path.join(REPO, "test/fixtures/terraform/stack-schema.hcl");
// Text any shell accepts but that HCL would read as an interpolation and a directive.
const HOSTILE_WORKDIR = "/srv/${HOME}/%{ if true }x%{ endif }/$${y}";
const HOSTILE_REASON = "rehearsal ${var.x} %{ if true }PLAT-9%{ endif } $${y}";
// Terraform's rule for a block label that names something (hclsyntax.ValidIdentifier).
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
let dir = "";
let bin = "";

beforeAll(async () => {
  dir = await tempDir("tollgate-hcl-");
  bin = buildHcldec(dir);
  const ref = await runCli([
    "synth",
    "--all",
    "--now",
    NOW,
    "--out",
    path.join(dir, "ref"),
    "--force",
    "--reason",
    HOSTILE_REASON,
  ]);
  expect(ref.code, ref.stderr).toBe(0);
  const hcl = await runCli(["synth", "--env", "staging", "--now", NOW, "--out", path.join(dir, "hcl"), "--hcl"]);
  expect(hcl.code, hcl.stderr).toBe(0);
  const org = path.join(dir, "grammar");
  await cp(path.join(REPO, "test/fixtures/orgs/grammar"), org, { recursive: true });
  const all = path.join(org, "manifests/all.yaml");
  const text = await readFile(all, "utf8");
  await writeFile(
    all,
    text.replace("workdir: /srv/tollgate", () => `workdir: ${JSON.stringify(HOSTILE_WORKDIR)}`),
  );
  for (const [out, extra] of [
    ["hostile", []],
    ["hostile-hcl", ["--hcl"]],
  ] as const) {
    const r = await runCli([
      "synth",
      "--root",
      org,
      "--env",
      "dev",
      "--now",
      NOW,
      "--out",
      path.join(dir, out),
      ...extra,
    ]);
    expect(r.code, r.stderr).toBe(0);
  }
}, 240_000);

afterAll(() => removeDir(dir));

const stack = (out: string, env: string, file = "cdk.tf.json") => path.join(dir, out, "stacks", env, file);
const withoutComments = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (k, x) => (k === "//" ? undefined : x)));

describe("Terraform's HCL reads every synthesized stack", () => {
  it.each(["staging", "production"])("%s: cdk.tf.json decodes, every trigger string read as written", async (env) => {
    const raw = JSON.parse(await readFile(stack("ref", env), "utf8"));
    const got = hcldec(bin, SPEC, stack("ref", env));
    expect(got.errors).toBe("");
    // Equal strings mean HCL evaluated no template in them: nothing `${` or `%{` slipped through.
    // The override's reason holds template sequences on purpose: the next test reads it.
    const plain = (v: any) => ({ ...v, null_resource: { ...v.null_resource, "production-gate-override": undefined } });
    expect(plain(got.value.resource)).toEqual(plain(withoutComments(raw.resource)));
    expect(got.value.terraform).toEqual([withoutComments(raw.terraform)]);
    expect(Object.keys(got.value.terraform[0].backend)).toEqual(["local"]);
    expect(Object.keys(got.value.output).sort()).toEqual(Object.keys(raw.output).sort());
    expect(got.value.output.alert_rule_count.value).toBe(String(raw.output.alert_rule_count.value));
    if (env === "production") expect(got.value.resource.null_resource["production-gate-override"]).toBeDefined();
    const names = [...Object.keys(got.value.resource.null_resource), ...Object.keys(got.value.output)];
    for (const name of names) expect(name).toMatch(IDENTIFIER);
  });

  it("production: the override reason, ${ and %{ in it, reaches Terraform as the literal text", () => {
    const got = hcldec(bin, SPEC, stack("ref", "production"));
    expect(got.errors).toBe("");
    expect(got.value.output.production_gate_override.value).toBe(HOSTILE_REASON);
    const override = got.value.resource.null_resource["production-gate-override"];
    expect(override.triggers.reason).toBe(HOSTILE_REASON);
  });

  it("the --hcl eject output says exactly what the JSON stack says", () => {
    const json = hcldec(bin, SPEC, stack("ref", "staging"));
    const native = hcldec(bin, SPEC, stack("hcl", "staging", "cdk.tf"));
    expect(native.errors).toBe("");
    expect(native.value).toEqual(json.value);
  });

  it.each([
    ["cdk.tf.json", "hostile"],
    ["cdk.tf", "hostile-hcl"],
  ])("%s: a workdir holding template sequences reaches Terraform as the literal text", (file, out) => {
    const got = hcldec(bin, SPEC, stack(out, "dev", file));
    expect(got.errors).toBe("");
    const workdirs = Object.values<any>(got.value.resource.null_resource)
      .map((r) => r.triggers?.workdir)
      .filter((w) => w !== undefined);
    expect(workdirs.length).toBeGreaterThan(0);
    for (const w of workdirs) expect(w).toBe(HOSTILE_WORKDIR);
  });
});

describe("the grammar proof's reading of Terraform strings agrees with HCL's", () => {
  const TRICKY = [
    '${file("/etc/passwd")}',
    "%{ if true }x%{ endif }",
    "$${",
    "%%{",
    "$$${x}",
    "$$$${x}",
    "%%%{x}",
    "$$",
    "%%",
    "$",
    "%",
    "${",
    "%{",
    "a$b%c{d}",
    "}${}",
    "plain",
  ];
  // One trigger in an otherwise empty stack, read by hcldec: its text, or undefined when refused.
  const read = async (value: string, i: number): Promise<string | undefined> => {
    const file = path.join(dir, `string-${i}.tf.json`);
    await writeFile(file, JSON.stringify({ resource: { null_resource: { probe: { triggers: { s: value } } } } }));
    const got = hcldec(bin, SPEC, file);
    return got.ok ? got.value.resource.null_resource.probe.triggers.s : undefined;
  };

  it.each(TRICKY.map((t, i) => [t, i] as const))("%s", async (t, i) => {
    // terraformLiteral's output is read back as the very text (what synth relies on) ...
    expect(await read(terraformLiteral(t), i)).toBe(t);
    // ... and test/security/grammar-outputs.ts's terraformString reads raw text as HCL does.
    const ours = terraformString(t);
    const hcl = await read(t, i);
    if (ours.expression) expect(hcl).not.toBe(t);
    else expect(hcl).toBe(ours.text);
  });
});

describe("HCL refuses what Terraform refuses (so its passing means something)", () => {
  const extraneous = (name: string) => new RegExp(`No argument or block type is named "${name}"`);
  const cases: [string, (t: any) => void, RegExp][] = [
    ["a misspelled top-level block", (t) => ((t.resources = t.resource), delete t.resource), extraneous("resources")],
    ["an argument null_resource does not have", (t) => (first(t).trigger = {}), extraneous("trigger")],
    ["a trigger that is not a string", (t) => (first(t).triggers.kind = { a: 1 }), /Incorrect attribute value type/],
    // null_resource's id is computed: the provider's schema has it, but not as an argument.
    ["the computed id set by hand", (t) => (first(t).id = "x"), extraneous("id")],
    ["a resource without its name label", (t) => (t.resource.null_resource = first(t)), extraneous("asset")],
    ["an output without a value", (t) => (t.output.alert_rule_count = {}), /Missing required argument/],
    ["an unescaped interpolation", (t) => (first(t).triggers.kind = "${var.x}"), /Unknown variable/],
    ["a directive that is not closed", (t) => (first(t).triggers.kind = "%{ if true }x"), /endif/],
  ];
  const first = (t: any) => Object.values<any>(t.resource.null_resource)[0];

  it.each(cases)("%s", async (_name, mutate, message) => {
    const t = JSON.parse(await readFile(stack("ref", "staging"), "utf8"));
    mutate(t);
    const file = path.join(dir, `broken-${_name.replace(/\W+/g, "-")}.tf.json`);
    await writeFile(file, JSON.stringify(t));
    const got = hcldec(bin, SPEC, file);
    expect(got.ok).toBe(false);
    expect(got.errors).toMatch(message);
  });
});
