/**
 * Secrets wrapped in base64 (a token pasted as `Bearer <base64>`, a basic-auth header, a config
 * blob): plausible base64 runs are decoded and the decoded text is scanned again, once (no
 * recursion), within fixed bounds, so a large file costs a linear pass and a bounded decode.
 */

export interface Base64Run {
  start: number;
  end: number;
  decoded: string;
}

/** A run long enough to hold the shortest token a detector knows (20 characters → 28 in base64). */
const RUN = /[A-Za-z0-9+/_-]{24,}={0,2}/g;
const MAX_RUN = 64 * 1024;
const MAX_RUNS = 20_000;
const MAX_DECODED = 4 * 1024 * 1024;

/** Decoded text that reads as text: valid UTF-8, almost all printable. Random bytes never are. */
function asText(bytes: Buffer): string | undefined {
  const text = bytes.toString("utf8");
  if (text.includes("\uFFFD") || text.length === 0) return undefined;
  let printable = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c >= 32 && c < 127) || c === 9 || c === 10 || c === 13 || c >= 160) printable++;
  }
  return printable / text.length >= 0.95 ? text : undefined;
}

/** Every plausible base64 run of `content` that decodes to text, in order. */
export function base64Runs(content: string): Base64Run[] {
  const runs: Base64Run[] = [];
  let budget = MAX_DECODED;
  let seen = 0;
  RUN.lastIndex = 0;
  for (let m = RUN.exec(content); m && seen < MAX_RUNS && budget > 0; m = RUN.exec(content)) {
    seen++;
    const run = m[0];
    // Mixed alphabet: both standard (+/) and URL-safe (-_) characters is not one encoding.
    if (run.length > MAX_RUN || (/[+/]/.test(run) && /[-_]/.test(run))) continue;
    // Letters and digits both, as any encoding of text has; a long word or path does not decode to text anyway.
    if (!/[0-9]/.test(run) || !/[A-Z]/.test(run) || !/[a-z]/.test(run)) continue;
    const body = run.replace(/=+$/, "");
    if (body.length % 4 === 1) continue;
    const text = asText(Buffer.from(body, "base64"));
    if (text === undefined) continue;
    budget -= text.length;
    runs.push({ start: m.index, end: m.index + run.length, decoded: text });
  }
  return runs;
}
