/**
 * Every string field of the schema (found by walking the JSON Schemas, so new fields are covered
 * by themselves) gets each hostile text in turn: a newline that would start a cron job, `%`,
 * quotes, `{{ }}` and shell syntax. For each, either `validate` refuses it with an error at that
 * field's line, or the value is accepted; then all accepted values together are synthesized by the
 * real CLI and every generated file must still parse (YAML, JSON, promtool, amtool, the blackbox
 * exporter, a real /bin/sh under cron's `%` rules) and say the same thing: wherever a value reaches
 * an output, a consumer reads it back whole.
 */
import { describe, expect, it } from "vitest";
import { fieldName, instanceOf } from "./grammar-fields.js";
import { fields, grammarSuite, originals, PAYLOAD_GROUPS, PAYLOADS } from "./grammar-suite.js";

describe("the grammar fixture", () => {
  it("the payload groups of the output-grammar*.test.ts files run every payload", () => {
    expect(Object.values(PAYLOAD_GROUPS).flat().sort()).toEqual(Object.keys(PAYLOADS).sort());
  });

  it("the fixture organization uses every string field of the schema (add a new field's use to test/fixtures/orgs/grammar)", () => {
    expect(fields.length).toBeGreaterThan(100);
    expect(fields.filter((f) => !instanceOf(originals[f.file], f)).map(fieldName)).toEqual([]);
  });
});

grammarSuite(PAYLOAD_GROUPS.lines);
