/**
 * Finds secret values in every byte Tollgate reads: the raw text (comments and block scalars
 * included), the text with comment markers blanked (a PEM block commented out line by line), and
 * every scalar as YAML decodes it (escapes, folding, line continuations), so a key written as
 * "\x41KIA…" is found too. The rules of secretlint's recommended preset are the detector;
 * redact/secret-patterns.ts fills the gaps it has for formats issue #10 names. Findings carry offsets and a rule name; the values
 * found are returned separately, only so that messages can be scrubbed of them.
 */
import { lintSource } from "@secretlint/core";
import { rules as recommendedRules } from "@secretlint/secretlint-rule-preset-recommend";
import { isMap, isPair, isScalar, isSeq, type Document } from "yaml";
import { base64Runs } from "./secret-base64.js";
import { scanPatterns } from "./secret-patterns.js";
import { looksLikeSecretValue, shannonEntropy } from "../model/secret-shape.js";

export { looksLikeSecretValue, shannonEntropy };

export interface SecretHit {
  start: number;
  end: number;
  rule: string;
  /** For a secret found inside a base64 run (start..end): the decoded secret, redacted too. */
  decoded?: string;
}

const AWS = "@secretlint/secretlint-rule-aws";
/** Between texts scanned in one pass: no detector matches across it. */
const SEPARATOR = "\n\u0001\n";
const FILTER_COMMENTS = "@secretlint/secretlint-rule-filter-comments";

/**
 * The recommended preset's rules (AWS, GCP, GitHub, Slack, OpenAI, Anthropic, Shopify, npm, private
 * keys, basic-auth URLs and more), registered one by one so that two can be changed:
 * - access key ids (AKIA…, ASIA…) are off by default in secretlint's aws rule; a pasted id is a leak;
 * - filter-comments is left out, so a manifest cannot switch the scan off with `# secretlint-disable`.
 */
const CONFIG = {
  rules: recommendedRules
    .filter((r) => r.meta.id !== FILTER_COMMENTS)
    .map((r) => ({ id: r.meta.id, rule: r, options: r.meta.id === AWS ? { enableIDScanRule: true } : {} })),
};

async function secretlint(content: string, filePath: string): Promise<SecretHit[]> {
  const result = await lintSource({
    // Never the real name: secretlint uses it in profiler marks, which a newline in a file name breaks,
    // and findings are located by our own file name anyway.
    source: { filePath: "input.yaml", content, ext: ".yaml", contentType: "text" },
    options: { config: CONFIG as any, maskSecrets: true, noPhysicFilePath: true },
  });
  return (
    result.messages
      // AWS account ids (12 digits after `account:`) are identifiers, not credentials.
      .filter((m) => m.messageId !== "AWSAccountID")
      .map((m) => ({
        start: m.range[0],
        end: m.range[1],
        rule: m.ruleId.replace(/^@secretlint\/secretlint-rule-/, "secretlint/"),
      }))
  );
}

/** Every `#` that starts a YAML comment, blanked: same length, so offsets stay true. */
function withoutCommentMarkers(content: string): string {
  return content.replace(/(^|[ \t])#/gm, "$1 ");
}

/** One hit per secret: the same range found twice, or a range inside another hit (two detectors, one value), counts once. */
function unique(hits: SecretHit[]): SecretHit[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: SecretHit[] = [];
  for (const h of sorted) {
    if (out.some((k) => k.start <= h.start && h.end <= k.end)) continue;
    out.push(h);
  }
  return out.sort((a, b) => a.start - b.start || a.end - b.end);
}

async function detectors(content: string, filePath: string): Promise<SecretHit[]> {
  return [...(await secretlint(content, filePath)), ...scanPatterns(content)];
}

/** Raw text scan (secretlint + supplementary patterns), comments included, and base64 runs decoded once. */
export async function scanText(content: string, filePath: string): Promise<SecretHit[]> {
  const hits = await detectors(content, filePath);
  // Multi-line formats (PEM) cannot match through `# ` prefixes: scan the de-commented view too.
  if (content.includes("#") && /PRIVATE KEY/.test(content)) {
    const view = withoutCommentMarkers(content);
    hits.push(...(await detectors(view, filePath)));
  }
  hits.push(...(await scanBase64(content, filePath)));
  return unique(hits);
}

/** Secrets inside base64 runs: all decoded runs scanned in one pass, each hit placed on its run. */
async function scanBase64(content: string, filePath: string): Promise<SecretHit[]> {
  const runs = base64Runs(content);
  if (runs.length === 0) return [];
  const at: number[] = [];
  let joined = "";
  for (const r of runs) {
    at.push(joined.length);
    joined += r.decoded + SEPARATOR;
  }
  const out: SecretHit[] = [];
  for (const h of await detectors(joined, filePath)) {
    let i = at.length - 1;
    while (i > 0 && at[i]! > h.start) i--;
    const run = runs[i]!;
    out.push({ start: run.start, end: run.end, rule: `${h.rule} (base64)`, decoded: joined.slice(h.start, h.end) });
  }
  return out;
}

export interface FileScan {
  /** One per secret found, located in the source text. */
  hits: SecretHit[];
  /** Every value found, as written and as decoded: messages are scrubbed of all of them. */
  values: string[];
}

/**
 * Scans the file text and every decoded scalar (keys included) whose decoded value differs from
 * its source text. A decoded hit inside a scalar already flagged in the text is not reported again,
 * but its decoded value is remembered for redaction.
 */
export async function scanDocument(content: string, filePath: string, doc: Document): Promise<FileScan> {
  const scalars: DecodedScalar[] = [];
  // Iterative walk (keys included): a 10k-deep document must not overflow the stack here.
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node) || isSeq(node)) {
      for (let i = node.items.length - 1; i >= 0; i--) stack.push(node.items[i]);
    } else if (isPair(node)) {
      stack.push(node.value, node.key);
    } else if (isScalar(node) && typeof node.value === "string" && node.range) {
      const [from, to] = node.range;
      if (!decodesToItsText(content, from, to, node.type, node.value))
        scalars.push({ start: from, end: to, value: node.value });
    }
  }
  return scanDecoded(content, filePath, scalars);
}

/** A string scalar whose decoded value differs from its source text (escapes, folding, block scalars). */
export interface DecodedScalar {
  start: number;
  end: number;
  value: string;
}

/** Whether a scalar's value is its source text (quotes aside): then the text scan already covers it. */
export function decodesToItsText(
  content: string,
  from: number,
  to: number,
  type: string | undefined,
  value: string,
): boolean {
  let text = content.slice(from, to);
  if (type === "QUOTE_DOUBLE" || type === "QUOTE_SINGLE") text = text.slice(1, -1);
  return text === value;
}

/** The text scan plus a scan of the decoded scalars (in document order); shared by both parse paths. */
export async function scanDecoded(
  content: string,
  filePath: string,
  decoded: readonly DecodedScalar[],
): Promise<FileScan> {
  const hits = await scanText(content, filePath);
  const values = hits.flatMap((h) => [content.slice(h.start, h.end), ...(h.decoded ? [h.decoded] : [])]);
  if (decoded.length === 0) return { hits, values };
  const scalars: { start: number; end: number; at: number }[] = [];
  let joined = "";
  for (const d of decoded) {
    scalars.push({ start: d.start, end: d.end, at: joined.length });
    joined += d.value + SEPARATOR;
  }
  for (const h of await scanText(joined, filePath)) {
    let lo = 0;
    let hi = scalars.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (scalars[mid]!.at <= h.start) lo = mid;
      else hi = mid - 1;
    }
    const s = scalars[lo]!;
    values.push(joined.slice(h.start, h.end), ...(h.decoded ? [h.decoded] : []));
    if (!hits.some((r) => r.start < s.end && r.end > s.start)) hits.push({ start: s.start, end: s.end, rule: h.rule });
  }
  return { hits: unique(hits), values };
}

/** Keys whose values look like credentials when they are long, dense and not a path or URL. */
export const VALUE_LIKE_KEYS = new Set([
  "value",
  "token",
  "password",
  "passwd",
  "apikey",
  "api_key",
  "key",
  "secretvalue",
  "credential",
  "credentials",
  "privatekey",
  "private_key",
  "auth",
  "authorization",
  "bearer",
  "ref",
  "routingkey",
  "webhookurl",
  "clientsecret",
]);
