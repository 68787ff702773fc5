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
}

/** Characters that may belong to a base64-ish token; a token is bounded by anything else. */
const B64 = "A-Za-z0-9/+=";

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
    re: new RegExp(String.raw`(?:aws)?[_-]?secret[_-]?access[_-]?key["']?\s*(?::|=>|=)\s*["']?([${B64}]{40})(?![${B64}])`, "gi"),
  },
  {
    // An unlabelled AWS secret access key: exactly 40 base64 characters standing alone, with
    // upper, lower and digits and the entropy of random data (hashes are hex; paths have dots).
    rule: "tollgate/aws-secret-access-key",
    re: new RegExp(String.raw`(?<![${B64}\\.-])([${B64}]{40})(?![${B64}.-])`, "g"),
    accept: (v) => /[A-Z]/.test(v) && /[a-z]/.test(v) && /[0-9]/.test(v) && entropy(v) >= 4.3,
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
};

export const ALL_PATTERNS: readonly SupplementaryPattern[] = [...SUPPLEMENTARY_PATTERNS, ...EMBEDDED, PRIVATE_KEY, URL_CREDENTIALS];

export interface PatternHit {
  start: number;
  end: number;
  rule: string;
}

export function scanPatterns(content: string): PatternHit[] {
  const hits: PatternHit[] = [];
  for (const p of ALL_PATTERNS) {
    p.re.lastIndex = 0;
    for (const m of content.matchAll(p.re)) {
      const value = m[1] ?? m[0];
      const start = m.index! + m[0].lastIndexOf(value);
      if (p.accept && !p.accept(value)) continue;
      hits.push({ start, end: start + value.length, rule: p.rule });
    }
  }
  return hits;
}
