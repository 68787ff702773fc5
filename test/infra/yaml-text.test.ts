/**
 * infra/generate/yaml-text.ts must render exactly what `yaml`'s stringify renders: random
 * documents with awkward strings, numbers, keys and nesting, plus the cases it must hand back to
 * yaml (aliases, multi-line strings, document markers). And it must really take its fast path on
 * the shapes synth writes, or it would only be a slower yaml.
 */
import fc from "fast-check";
import { stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { yamlText, yamlTextFast } from "../../infra/generate/yaml-text.js";

const yaml = (doc: unknown) => stringify(doc, { lineWidth: 0 });

const awkward = fc.constantFrom(
  "",
  "null",
  "Null",
  "NULL",
  "~",
  "true",
  "False",
  "yes",
  "no",
  "on",
  "off",
  "y",
  "n",
  "1",
  "-1",
  "+1",
  "1.0",
  "1e3",
  "0x1F",
  "0o17",
  ".inf",
  "-.Inf",
  ".nan",
  "2026-11-24",
  "12:30",
  "a: b",
  "a:b",
  "a:",
  ":a",
  "#x",
  "x #y",
  "x#y",
  " lead",
  "trail ",
  "-",
  "- a",
  "-a",
  "?",
  "? a",
  "?a",
  "@x",
  "%x",
  "&a",
  "*a",
  "!tag",
  "|",
  ">",
  "'",
  "it's",
  '"q"',
  "{a}",
  "[a]",
  "a,b",
  "\t",
  "a\tb",
  "\u0085",
  "\u2028",
  "\u00a0",
  "é",
  "😀",
  "\u0000",
  "\x7f",
  "\ud800",
  "https://svc.example/health?x=1&y=2#f",
  "tollgate_svc_000001",
  'service=~"a|b"',
  'alertname=~"ServiceDown"',
  "a\nb",
  "a\n",
  "a\n\nb",
  "\n",
  "\n\n",
  " a\nb",
  "a\n b",
  "a \nb",
  "a\n\n",
  "#a\nb",
  "a\tb\nc",
  "'q'\n\"r\"",
  "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}",
  "x\n---",
  "---",
  "---x",
  "...",
  "... x",
  "%YAML",
  "__proto__",
  "<<",
  "=",
  "a".repeat(1100),
);
const text = fc.oneof(
  awkward,
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 6 }),
  fc.stringMatching(/^[a-z][a-z0-9_.:/-]{0,15}$/),
);
const scalar = fc.oneof(text, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const { doc } = fc.letrec((tie) => ({
  doc: fc.oneof({ depthSize: "small", withCrossShrink: true }, scalar, tie("map"), tie("seq")),
  map: fc.dictionary(text, tie("doc"), { maxKeys: 5 }),
  seq: fc.array(tie("doc"), { maxLength: 4 }),
}));

describe("yamlText is yaml's stringify, byte for byte", () => {
  it("on random documents", () => {
    fc.assert(
      fc.property(doc, (d) => {
        expect(yamlText(d)).toBe(yaml(d));
      }),
      { numRuns: 3000 },
    );
  });

  it("on random maps of maps (the shape of blackbox modules and scrape configs)", () => {
    const entry = fc.dictionary(
      text,
      fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(text, scalar, { maxKeys: 3 })),
      { maxKeys: 6 },
    );
    fc.assert(
      fc.property(fc.dictionary(text, entry, { maxKeys: 8 }), (d) => {
        const top = { modules: d, list: Object.values(d) };
        expect(yamlText(top)).toBe(yaml(top));
      }),
      { numRuns: 1000 },
    );
  });

  it("hands back to yaml what only yaml may render", () => {
    const shared = { a: 1 };
    const sharedEmpty: string[] = [];
    const cases: unknown[] = [
      { x: shared, y: shared },
      [sharedEmpty, sharedEmpty],
      { s: "line one\n--- two" },
      { s: "---x" },
      { n: -0 },
      { d: new Date(0) },
      { m: new Map([["a", 1]]) },
      [undefined],
      { n: NaN },
      {},
      [],
      { a: undefined },
      "scalar",
    ];
    for (const c of cases) {
      expect(yamlTextFast(c), JSON.stringify(String(c))).toBeUndefined();
      expect(yamlText(c)).toBe(yaml(c));
    }
  });

  it("takes the fast path on the shapes synth writes", () => {
    const modules: Record<string, unknown> = {};
    for (let i = 0; i < 50; i++) {
      modules[`tollgate_svc_${i}`] = {
        prober: "http",
        timeout: "5s",
        http: {
          method: "GET",
          valid_status_codes: i % 2 ? [] : [200, 204],
          follow_redirects: true,
          tls_config: { min_version: "TLS12" },
          fail_if_body_not_matches_regexp: ['"status": ?"ok"'],
        },
      };
    }
    const scrape = {
      global: { scrape_interval: "30s", external_labels: { tollgate_env: "staging" } },
      scrape_configs: [
        {
          job_name: "x",
          static_configs: [{ targets: ["https://a.example/health"], labels: { module: "m", service: "a" } }],
        },
      ],
    };
    const receivers = {
      receivers: [
        {
          name: "chat",
          slack_configs: [{ text: "{{ range .Alerts }}{{ .Annotations.summary }}\n{{ end }}", send_resolved: true }],
        },
      ],
    };
    for (const d of [{ modules }, scrape, receivers]) {
      expect(yamlTextFast(d)).toBe(yaml(d));
    }
  });
});
