/** The probe's own outputSchema check (used when the SDK did not already refuse the result). */
import { describe, expect, it } from "vitest";
import { checkStructuredContent } from "../../checks/probe/mcp-output.js";

const SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  type: "object",
  properties: { answer: { type: "string" }, n: { type: "integer", minimum: 0 } },
  required: ["answer"],
  "x-vendor": true,
};

describe("checkStructuredContent", () => {
  it.each([
    ["matches", { answer: "a", n: 1 }, undefined],
    ["no outputSchema declared: nothing to check", undefined, undefined],
    ["wrong type", { answer: 1 }, /\/answer must be string/],
    ["missing required", { n: 1 }, /must have required property 'answer'/],
    ["below minimum", { answer: "a", n: -1 }, /\/n must be >= 0/],
    ["no structuredContent", undefined, /returned no structuredContent/],
  ] as const)("%s", (name, value, expected) => {
    const schema = name.startsWith("no outputSchema") ? undefined : SCHEMA;
    const got = checkStructuredContent(schema, value);
    if (expected === undefined) expect(got).toBeUndefined();
    else expect(got).toMatch(expected);
  });

  it("a schema ajv cannot compile is reported, not thrown", () => {
    expect(checkStructuredContent({ type: "object", properties: { a: { pattern: "(" } } }, { a: "x" })).toMatch(
      /cannot be compiled/,
    );
  });
});
