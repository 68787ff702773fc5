/**
 * Synthetic credentials in the real formats, assembled at test time so no token-shaped literal
 * is ever committed (and so secret scanners on this repository stay quiet).
 */
/** A deterministic xorshift draw of n characters: the same seed, the same token. */
export const pick = (seed: number, alphabet: string, n: number): string => {
  let out = "";
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out += alphabet[x % alphabet.length];
  }
  return out;
};
const ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
const HEX = "0123456789abcdef";
const B64 = `${ALNUM}+/`;

export function syntheticTokens(seed = 7): Record<string, string> {
  return {
    github: ["gh", "p_", pick(seed, ALNUM, 36)].join(""),
    slack: [
      "xo",
      "xb-",
      pick(seed + 1, "0123456789", 12),
      "-",
      pick(seed + 2, "0123456789", 13),
      "-",
      pick(seed + 3, ALNUM, 24),
    ].join(""),
    shopify: ["shp", "at_", pick(seed + 4, HEX, 32)].join(""),
    openai: ["s", "k-", pick(seed + 5, ALNUM, 20), "T3Blbk", "FJ", pick(seed + 6, ALNUM, 20)].join(""),
  };
}

export function syntheticPem(seed = 11): string {
  const body = `MIIEpAIBAAKCAQEA${pick(seed, B64, 240)}`.match(/.{1,64}/g)!.join("\n");
  return [`-----BEGIN RSA ${"PRIVATE"} KEY-----`, body, `-----END RSA ${"PRIVATE"} KEY-----`].join("\n");
}
