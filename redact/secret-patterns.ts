/**
 * Supplementary secret patterns, only for formats that issue #10 names and that secretlint 11.7.1's
 * rules do not detect. Each pattern's first capture group (or the whole match) is the value.
 * Keep this list small: secretlint is the detector, these fill its known gaps.
 */
export interface SupplementaryPattern {
  rule: string;
  /** Global regexp; group 1, when present, is the secret itself. */
  re: RegExp;
  /** Extra test on the value (e.g. entropy), to keep false positives out. */
  accept?: (value: string) => boolean;
  /**
   * The same matches as `content.matchAll(re)`, found faster (a regexp that may start at almost any
   * character costs a scan per position; these look at the few places a match can be).
   * test/model/secret-patterns.test.ts proves them equal to matchAll.
   */
  find?: (content: string) => Iterable<Match>;
}

/** What scanPatterns reads of a match. */
export interface Match {
  index: number;
  0: string;
  1?: string | undefined;
}

/** Characters that may belong to a base64-ish token; a token is bounded by anything else. */
const B64 = "A-Za-z0-9/+=";

const STANDALONE_40 = new RegExp(String.raw`(?<![${B64}\\.-])([${B64}]{40})(?![${B64}.-])`, "g");
const STANDALONE_40_AT = new RegExp(STANDALONE_40.source, "y");
const IS_B64 = new Uint8Array(128);
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/+=") IS_B64[c.charCodeAt(0)] = 1;

/**
 * STANDALONE_40's matches: its lookbehind refuses a base64 character before the match and its
 * lookahead one after, so a match is a whole run of exactly 40 base64 characters; the regexp
 * itself (sticky) then decides at the start of each such run.
 */
function* standalone40(content: string): Iterable<Match> {
  const n = content.length;
  let i = 0;
  while (i < n) {
    const c = content.charCodeAt(i);
    if (c >= 128 || IS_B64[c] === 0) {
      i++;
      continue;
    }
    let j = i + 1;
    while (j < n) {
      const d = content.charCodeAt(j);
      if (d >= 128 || IS_B64[d] === 0) break;
      j++;
    }
    if (j - i === 40) {
      STANDALONE_40_AT.lastIndex = i;
      const m = STANDALONE_40_AT.exec(content);
      if (m) yield m as unknown as Match;
    }
    i = j;
  }
}

/** `\s` of JavaScript regular expressions, by code unit. */
export function isRegExpSpace(c: number): boolean {
  return (
    c === 32 ||
    (c >= 9 && c <= 13) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/**
 * Matches of a regexp whose matches hold no whitespace, contain `marker` and `also` (URL_CREDENTIALS:
 * `://` and `@`) and that has no lookaround: every match lies inside one whitespace-free token
 * holding both, and matching each such token alone gives the same matches in the same order.
 */
function* inTokens(content: string, re: RegExp, marker: string, also: string): Iterable<Match> {
  let from = 0;
  for (let at = content.indexOf(marker); at !== -1; at = content.indexOf(marker, Math.max(at + 1, from))) {
    if (at < from) continue;
    let start = at;
    while (start > from && !isRegExpSpace(content.charCodeAt(start - 1))) start--;
    let end = at + marker.length;
    while (end < content.length && !isRegExpSpace(content.charCodeAt(end))) end++;
    from = end;
    const token = content.slice(start, end);
    if (!token.includes(also)) continue;
    re.lastIndex = 0;
    for (const m of token.matchAll(re)) yield { index: start + m.index!, 0: m[0], 1: m[1] };
  }
}

function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) h -= (c / s.length) * Math.log2(c / s.length);
  return h;
}

export const SUPPLEMENTARY_PATTERNS: readonly SupplementaryPattern[] = [
  {
    // OpenAI project / service-account / admin keys without the T3BlbkFJ marker (secretlint's
    // openai rule requires the marker and exact lengths).
    rule: "tollgate/openai",
    re: /(?<![A-Za-z0-9_-])(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{32,})/g,
  },
  {
    // Legacy OpenAI user keys: sk- and 48 alphanumerics, with or without the marker.
    rule: "tollgate/openai",
    re: /(?<![A-Za-z0-9_-])(sk-[A-Za-z0-9]{48})(?![A-Za-z0-9_-])/g,
  },
  {
    // Google Cloud API keys; secretlint's gcp rule only reads service-account .json/.p12 files
    // (a service-account key pasted into YAML is still caught by its private-key body).
    rule: "tollgate/gcp-api-key",
    re: /(?<![A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])/g,
  },
  {
    // Stripe secret and restricted keys (live and test); secretlint has no Stripe rule.
    rule: "tollgate/stripe",
    re: /(?<![A-Za-z0-9_])((?:sk|rk)_(?:live|test)_[A-Za-z0-9]{20,})/g,
  },
  {
    // AWS secret access key after its label. secretlint's aws rule ends the value with \b, so a key
    // ending in "/", "+" or "=" slips through; the label may be snake, kebab or camel case.
    rule: "tollgate/aws-secret-access-key",
    re: new RegExp(
      String.raw`(?:aws)?[_-]?secret[_-]?access[_-]?key["']?\s*(?::|=>|=)\s*["']?([${B64}]{40})(?![${B64}])`,
      "gi",
    ),
  },
  {
    // An unlabelled AWS secret access key: exactly 40 base64 characters standing alone, with
    // upper, lower and digits and the entropy of random data (hashes are hex; paths have dots).
    rule: "tollgate/aws-secret-access-key",
    re: STANDALONE_40,
    accept: (v) => /[A-Z]/.test(v) && /[a-z]/.test(v) && /[0-9]/.test(v) && entropy(v) >= 4.3,
    find: standalone40,
  },
];

/**
 * Found anywhere, even glued to other text (`xAKIA…`, `KEY_sk-proj-…`, `ghp_…_x`): these prefixes
 * are distinctive enough that a boundary requirement only helps an attacker hide a whole key.
 */
const EMBEDDED: readonly SupplementaryPattern[] = [
  { rule: "tollgate/aws-access-key-id", re: /((?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16})/g },
  { rule: "tollgate/github-token", re: /((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36})/g },
  { rule: "tollgate/github-token", re: /(github_pat_[A-Za-z0-9_]{22,})/g },
  { rule: "tollgate/openai", re: /(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{32,})/g },
  // A Telegram bot token (`<bot id>:<35 characters>`), in an API URL (`…/bot<token>/sendMessage`) or alone.
  {
    rule: "tollgate/telegram-bot-token",
    re: /(?<![A-Za-z0-9_-])(?:bot)?([0-9]{5,12}:[A-Za-z0-9_-]{35})(?![A-Za-z0-9_-])/g,
  },
  // A Discord webhook URL: the token after the id is the credential (discord.com, discordapp.com, ptb., canary.).
  {
    rule: "tollgate/discord-webhook",
    re: /discord(?:app)?\.com\/api(?:\/v[0-9]+)?\/webhooks\/[0-9]{5,30}\/([A-Za-z0-9_-]{40,100})/g,
  },
];

/** Every PEM private-key block (RSA, EC, DSA, OpenSSH, PKCS#8, encrypted), whatever its length. */
const PRIVATE_KEY: SupplementaryPattern = {
  rule: "tollgate/private-key",
  re: /(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$))/g,
};

/**
 * Credentials in a URL (`scheme://user:password@host`): any password, any host. secretlint's
 * basic-auth rule accepts only [-A-Za-z0-9_] passwords and short top-level domains.
 */
const URL_CREDENTIALS: SupplementaryPattern = {
  rule: "tollgate/url-credentials",
  re: /[A-Za-z][A-Za-z0-9+.-]*:\/\/[^\s/:@'"]+:([^\s/@'"]+)@[^\s/'"]+/g,
  // `user:${VAR}@` and `user:<password>@` are placeholders, not values.
  accept: (v) => !/^(?:\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|<[^>]*>|\*+|x+)$/i.test(v),
  find: (content) => inTokens(content, URL_CREDENTIALS.re, "://", "@"),
};

export const ALL_PATTERNS: readonly SupplementaryPattern[] = [
  ...SUPPLEMENTARY_PATTERNS,
  ...EMBEDDED,
  PRIVATE_KEY,
  URL_CREDENTIALS,
];

export interface PatternHit {
  start: number;
  end: number;
  rule: string;
}

export function scanPatterns(content: string): PatternHit[] {
  const hits: PatternHit[] = [];
  for (const p of ALL_PATTERNS) {
    p.re.lastIndex = 0;
    for (const m of p.find ? p.find(content) : content.matchAll(p.re)) {
      const value = m[1] ?? m[0];
      const start = m.index! + m[0].lastIndexOf(value);
      if (p.accept && !p.accept(value)) continue;
      hits.push({ start, end: start + value.length, rule: p.rule });
    }
  }
  return hits;
}
