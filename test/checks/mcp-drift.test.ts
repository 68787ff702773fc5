/**
 * The drift classifier's table: each row is a tool before and after a change (many from the
 * history of real servers: server-everything, server-filesystem, server-memory, GitHub's and
 * Playwright's MCP servers) and the exact classification expected. Breaking fails the probe.
 */
import { describe, expect, it } from "vitest";
import {
  classifyDrift,
  normalise,
  SchemaTooDeep,
  snapshotTools,
  type ToolSnapshot,
} from "../../checks/probe/mcp-drift.js";

const obj = (properties: Record<string, unknown>, required: string[] = [], extra: Record<string, unknown> = {}) => ({
  type: "object",
  properties,
  ...(required.length ? { required } : {}),
  ...extra,
});
const base: ToolSnapshot = {
  description: "Read a file",
  annotations: { readOnlyHint: true },
  inputSchema: obj(
    { path: { type: "string" }, mode: { type: "string", enum: ["text", "base64"] }, head: { type: "number" } },
    ["path"],
  ) as never,
};
const withOut = (outputSchema: unknown): ToolSnapshot => ({ ...base, outputSchema: outputSchema as never });
const OUT = obj(
  { content: { type: "string" }, size: { type: "integer" }, kind: { type: "string", enum: ["file", "dir"] } },
  ["content", "size"],
);
const input = (
  properties: Record<string, unknown>,
  required = ["path"],
  extra: Record<string, unknown> = {},
): ToolSnapshot => ({ ...base, inputSchema: obj(properties, required, extra) as never });
const P = { path: { type: "string" }, mode: { type: "string", enum: ["text", "base64"] }, head: { type: "number" } };

type Row = [name: string, before: ToolSnapshot, after: ToolSnapshot, expected: [cls: string, code: string][]];
const ROWS: Row[] = [
  // No change, or changes normalisation removes.
  ["identical", base, base, []],
  [
    "only $schema added (an SDK upgrade)",
    base,
    {
      ...base,
      inputSchema: {
        $schema: "https://json-schema.org/draft/2020-12/schema",
        ...(base.inputSchema as object),
      } as never,
    },
    [],
  ],
  ["$schema added in a nested property too", base, input({ ...P, path: { $schema: "x", type: "string" } }), []],
  [
    "key order changed",
    base,
    {
      ...base,
      inputSchema: {
        required: ["path"],
        properties: {
          head: { type: "number" },
          mode: { enum: ["text", "base64"], type: "string" },
          path: { type: "string" },
        },
        type: "object",
      } as never,
    },
    [],
  ],
  // Breaking: input accepts less.
  [
    "new required argument",
    base,
    input({ ...P, tenant: { type: "string" } }, ["path", "tenant"]),
    [["breaking", "required-added"]],
  ],
  ["optional argument became required", base, input(P, ["path", "head"]), [["breaking", "required-added"]]],
  [
    "argument removed (server-filesystem dropped an option)",
    base,
    input({ path: P.path, mode: P.mode }),
    [["breaking", "argument-removed"]],
  ],
  ["type narrowed number → integer", base, input({ ...P, head: { type: "integer" } }), [["breaking", "type-narrowed"]]],
  ["type changed string → number", base, input({ ...P, path: { type: "number" } }), [["breaking", "type-narrowed"]]],
  [
    "type union narrowed [string, null] → string",
    input({ ...P, path: { type: ["string", "null"] } }),
    base,
    [["breaking", "type-narrowed"]],
  ],
  [
    "enum value removed",
    base,
    input({ ...P, mode: { type: "string", enum: ["text"] } }),
    [["breaking", "enum-value-removed"]],
  ],
  [
    "enum introduced on a free string",
    input({ ...P, mode: { type: "string" } }),
    base,
    [["breaking", "enum-value-removed"]],
  ],
  [
    "maximum lowered",
    input({ ...P, head: { type: "number", maximum: 1000 } }),
    input({ ...P, head: { type: "number", maximum: 100 } }),
    [["breaking", "constraint-tightened"]],
  ],
  [
    "minLength added",
    base,
    input({ ...P, path: { type: "string", minLength: 1 } }),
    [["breaking", "constraint-tightened"]],
  ],
  [
    "pattern added",
    base,
    input({ ...P, path: { type: "string", pattern: "^/" } }),
    [["breaking", "constraint-tightened"]],
  ],
  [
    "closed to extra properties",
    base,
    input(P, ["path"], { additionalProperties: false }),
    [["breaking", "closed-to-extra-properties"]],
  ],
  [
    "nested required field added",
    input({ ...P, opts: obj({ depth: { type: "number" } }) }),
    input({ ...P, opts: obj({ depth: { type: "number" }, root: { type: "string" } }, ["root"]) }),
    [["breaking", "required-added"]],
  ],
  [
    "array item type narrowed",
    input({ ...P, tags: { type: "array", items: { type: ["string", "number"] } } }),
    input({ ...P, tags: { type: "array", items: { type: "string" } } }),
    [["breaking", "type-narrowed"]],
  ],
  [
    "destructiveHint turned on",
    base,
    { ...base, annotations: { readOnlyHint: true, destructiveHint: true } },
    [["breaking", "destructive-hint-on"]],
  ],
  [
    "destructiveHint false → true",
    { ...base, annotations: { destructiveHint: false } },
    { ...base, annotations: { destructiveHint: true } },
    [["breaking", "destructive-hint-on"]],
  ],
  // Output schema: breaking when it may produce more, or less of what was promised.
  ["output schema removed", withOut(OUT), base, [["breaking", "output-schema-removed"]]],
  [
    "output field removed",
    withOut(OUT),
    withOut(obj({ content: { type: "string" }, kind: OUT.properties.kind }, ["content"])),
    [["breaking", "output-field-removed"]],
  ],
  [
    "output field no longer required",
    withOut(OUT),
    withOut({ ...OUT, required: ["content"] }),
    [["breaking", "output-field-optional"]],
  ],
  [
    "output type widened integer → [integer, null]",
    withOut(OUT),
    withOut({ ...OUT, properties: { ...OUT.properties, size: { type: ["integer", "null"] } } }),
    [["breaking", "output-type-changed"]],
  ],
  [
    "output enum gained a value",
    withOut(OUT),
    withOut({ ...OUT, properties: { ...OUT.properties, kind: { type: "string", enum: ["file", "dir", "symlink"] } } }),
    [["breaking", "output-enum-changed"]],
  ],
  // Warning: meaning may have changed.
  [
    "description reworded",
    base,
    { ...base, description: "Read the complete contents of a file" },
    [["warning", "description-changed"]],
  ],
  [
    "readOnlyHint turned off",
    base,
    { ...base, annotations: { readOnlyHint: false } },
    [["warning", "annotation-changed"]],
  ],
  [
    "title annotation added",
    base,
    { ...base, annotations: { readOnlyHint: true, title: "Read file" } },
    [["warning", "annotation-changed"]],
  ],
  [
    "argument description changed",
    input({ ...P, head: { type: "number", description: "lines" } }),
    input({ ...P, head: { type: "number", description: "first N lines" } }),
    [["warning", "argument-description-changed"]],
  ],
  [
    "argument default changed",
    input({ ...P, head: { type: "number", default: 10 } }),
    input({ ...P, head: { type: "number", default: 20 } }),
    [["warning", "argument-default-changed"]],
  ],
  [
    "unclassified keyword (anyOf) changed",
    input({ ...P, path: { anyOf: [{ type: "string" }] } }),
    input({ ...P, path: { anyOf: [{ type: "string" }, { type: "null" }] } }),
    [["warning", "schema-changed"]],
  ],
  [
    "destructiveHint turned off",
    { ...base, annotations: { destructiveHint: true } },
    { ...base, annotations: { destructiveHint: false } },
    [["warning", "annotation-changed"]],
  ],
  // Info: additions a caller can ignore.
  ["new optional argument", base, input({ ...P, tail: { type: "number" } }), [["info", "optional-argument-added"]]],
  ["required argument became optional", base, input(P, []), [["info", "required-removed"]]],
  [
    "enum value added",
    base,
    input({ ...P, mode: { type: "string", enum: ["text", "base64", "hex"] } }),
    [["info", "enum-value-added"]],
  ],
  ["type widened integer → number", input({ ...P, head: { type: "integer" } }), base, [["info", "type-widened"]]],
  [
    "maximum raised",
    input({ ...P, head: { type: "number", maximum: 100 } }),
    input({ ...P, head: { type: "number", maximum: 1000 } }),
    [["info", "constraint-loosened"]],
  ],
  [
    "opened to extra properties",
    input(P, ["path"], { additionalProperties: false }),
    base,
    [["info", "open-to-extra-properties"]],
  ],
  ["output schema added", base, withOut(OUT), [["info", "output-schema-added"]]],
  [
    "output field added",
    withOut(OUT),
    withOut({ ...OUT, properties: { ...OUT.properties, mtime: { type: "string" } } }),
    [["info", "output-field-added"]],
  ],
  [
    "output enum lost a value",
    withOut(OUT),
    withOut({ ...OUT, properties: { ...OUT.properties, kind: { type: "string", enum: ["file"] } } }),
    [["info", "output-enum-changed"]],
  ],
  // Several changes at once are each reported.
  [
    "reworded and a new required argument",
    base,
    {
      ...base,
      description: "Read a file (v2)",
      inputSchema: obj({ ...P, encoding: { type: "string" } }, ["path", "encoding"]) as never,
    },
    [
      ["warning", "description-changed"],
      ["breaking", "required-added"],
    ],
  ],
];

describe("drift classification table", () => {
  it("has at least 30 rows covering each class", () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(30);
    for (const cls of ["breaking", "warning", "info"])
      expect(ROWS.some((r) => r[3].some(([c]) => c === cls))).toBe(true);
  });

  it.each(ROWS)("%s", (_name, before, after, expected) => {
    // Both sides go through the same normalisation the lock file and the probe use.
    const locked = snapshotTools([{ name: "read_file", ...before }]);
    const live = snapshotTools([{ name: "read_file", ...after }]);
    const got = classifyDrift(locked, live).map((c) => [c.class, c.code]);
    expect(got).toEqual(expected);
  });

  it("a removed tool is breaking and a new tool is info", () => {
    const locked = snapshotTools([
      { name: "a", inputSchema: {} },
      { name: "b", inputSchema: {} },
    ]);
    const live = snapshotTools([
      { name: "b", inputSchema: {} },
      { name: "c", inputSchema: {} },
    ]);
    expect(classifyDrift(locked, live)).toEqual([
      { tool: "a", class: "breaking", code: "tool-removed", detail: "tool removed" },
      { tool: "c", class: "info", code: "tool-added", detail: "new tool" },
    ]);
  });
});

describe("normalisation", () => {
  it("sorts keys and drops $schema at every level", () => {
    expect(JSON.stringify(normalise({ b: 1, $schema: "x", a: { d: 1, c: { $schema: "y", e: 2 } } }))).toBe(
      '{"a":{"c":{"e":2},"d":1},"b":1}',
    );
  });

  it("refuses a schema nested 3,000 levels deep with a clean error, not a stack overflow", () => {
    let deep: Record<string, unknown> = { type: "string" };
    for (let i = 0; i < 3000; i++) deep = { type: "object", properties: { x: deep } };
    expect(() => snapshotTools([{ name: "t", inputSchema: deep }])).toThrow(SchemaTooDeep);
  });
});
