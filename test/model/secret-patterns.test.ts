/**
 * The supplementary patterns' fast finders (redact/secret-patterns.ts `find`) must give exactly the
 * matches `content.matchAll(re)` gives: same positions, same text, same order, on random text made
 * of the characters that decide them (base64, dots, dashes, backslashes, every kind of space,
 * URL punctuation) and on every secret fixture.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ALL_PATTERNS, isRegExpSpace, scanPatterns, type Match } from "../../redact/secret-patterns.js";
import { secretFixtures } from "../security/secrets-fixtures.js";

const plain = (m: Match) => ({ index: m.index, 0: m[0], 1: m[1] });
const slow = (content: string, re: RegExp) =>
  [...content.matchAll(new RegExp(re.source, re.flags))].map((m) => ({ index: m.index!, 0: m[0], 1: m[1] }));

// Pieces that make runs of exactly 40 base64 characters and credential URLs likely.
const PIECES = [
  "A",
  "b",
  "7",
  "/",
  "+",
  "=",
  ".",
  "-",
  "\\",
  "_",
  ":",
  "@",
  "'",
  '"',
  "#",
  "é",
  " ",
  "\n",
  "\t",
  "\u00a0",
  "\u2028",
  "\u3000",
  "\ufeff",
  "://",
  "https://",
  "u:p@h",
  "user:pa55@host.example/x",
  "x:${VAR}@h",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  "AKIAIOSFODNN7EXAMPLE",
  "abcdefghij",
  "ABCDEFGHIJ",
  "0123456789",
  "Zq3/+xY9=",
  "a".repeat(39),
  "B".repeat(40),
  "c".repeat(41),
];

describe("supplementary secret patterns", () => {
  const withFinder = ALL_PATTERNS.filter((p) => p.find);

  it("has fast finders to test (the two patterns that may start at almost any character)", () => {
    expect(withFinder.length).toBe(2);
  });

  it("isRegExpSpace is \\s for every UTF-16 code unit", () => {
    const wrong: number[] = [];
    for (let c = 0; c < 0x10000; c++) if (isRegExpSpace(c) !== /\s/.test(String.fromCharCode(c))) wrong.push(c);
    expect(wrong).toEqual([]);
  });

  it("fast finders give the same matches as matchAll (random text)", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PIECES), { maxLength: 60 }), (pieces) => {
        const text = pieces.join("");
        for (const p of withFinder)
          expect([...p.find!(text)].map(plain), `${p.rule}: ${JSON.stringify(text)}`).toEqual(slow(text, p.re));
      }),
      { numRuns: 3000, seed: 20261125 },
    );
  });

  it("fast finders give the same matches as matchAll on every secret fixture, alone and in YAML", () => {
    let found = 0;
    for (const value of Object.values(secretFixtures())) {
      for (const text of [
        value,
        `a: ${value}\nb: "https://u:${value}@h/p" # ${value}\n`,
        `x${value}.`,
        `-${value} ${value}\\`,
      ]) {
        for (const p of withFinder) {
          const expected = slow(text, p.re);
          found += expected.length;
          expect([...p.find!(text)].map(plain), p.rule).toEqual(expected);
        }
      }
    }
    // Not vacuous: the fixtures hold unlabelled AWS keys and URL credentials.
    expect(found).toBeGreaterThan(0);
  });

  it("scanPatterns finds a URL password and a standalone AWS secret key", () => {
    const text = "db: postgres://app:s3cr3tPa55@db.example:5432/x\nkey: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n";
    expect(scanPatterns(text).map((h) => [h.rule, text.slice(h.start, h.end)])).toEqual([
      ["tollgate/aws-secret-access-key", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
      ["tollgate/url-credentials", "s3cr3tPa55"],
    ]);
  });
});
