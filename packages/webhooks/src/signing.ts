/**
 * Signing and checking signatures the way a profile says: one implementation for the probe (which
 * signs test deliveries) and the verifier (which checks real ones).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Profile } from "./profiles.js";

/**
 * Why a secret cannot be this profile's HMAC key (worded without the secret), or undefined. Node's
 * base64 decoder skips what it cannot read, so `whsec_`, `whsec_====` or a mangled secret would
 * otherwise become an empty key that anyone can sign with; standardwebhooks and svix refuse them.
 */
export function secretProblem(profile: Profile, secret: string): string | undefined {
  if (!secret) return "is empty";
  if (profile.secret !== "whsec-base64") return undefined;
  const b64 = secret.startsWith("whsec_") ? secret.slice(6) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64))
    return `is not base64 after an optional whsec_ (the ${profile.provider} secret format)`;
  return undefined;
}

/** The HMAC key a secret stands for: Standard Webhooks and Svix secrets are base64 after an optional `whsec_`. */
export function secretKey(profile: Profile, secret: string): Buffer {
  if (profile.secret === "whsec-base64")
    return Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
  return Buffer.from(secret, "utf8");
}

export interface Signable {
  body: string | Buffer;
  timestamp?: number;
  id?: string;
}

/** The exact bytes the HMAC covers. */
export function signedContent(profile: Profile, m: Signable): Buffer {
  const [before, after] = profile.signedContent.split("{body}") as [string, string];
  const fill = (t: string) => t.replaceAll("{timestamp}", String(m.timestamp ?? "")).replaceAll("{id}", m.id ?? "");
  return Buffer.concat([
    Buffer.from(fill(before)),
    typeof m.body === "string" ? Buffer.from(m.body, "utf8") : m.body,
    Buffer.from(fill(after ?? "")),
  ]);
}

export function rawSignature(profile: Profile, secret: string, m: Signable): string {
  return createHmac("sha256", secretKey(profile, secret)).update(signedContent(profile, m)).digest(profile.encoding);
}

/** The signature header's value, signed with every secret given (more than one only during a rotation). */
export function signatureHeaderValue(profile: Profile, secrets: readonly string[], m: Signable): string {
  const sigs = secrets.map((s) => rawSignature(profile, s, m));
  const f = profile.format;
  if (f.kind === "stripe") return [`t=${m.timestamp}`, ...sigs.map((s) => `${f.version}=${s}`)].join(",");
  if (sigs.length > 1 && !f.separator) throw new Error(`bug: ${profile.provider} carries one signature per request`);
  return sigs.map((s) => `${f.prefix}${s}`).join(f.separator ?? "");
}

/** Every header a signed delivery carries for this profile (signature, timestamp and id headers). */
export function signedHeaders(profile: Profile, secrets: readonly string[], m: Signable): Record<string, string> {
  const h: Record<string, string> = {};
  if (profile.timestamp && "header" in profile.timestamp) h[profile.timestamp.header] = String(m.timestamp);
  if (profile.id && "header" in profile.id && m.id !== undefined) h[profile.id.header] = m.id;
  h[profile.signatureHeader] = signatureHeaderValue(profile, secrets, m);
  return h;
}

export interface ParsedSignature {
  signatures: string[];
  /** Stripe's `t=`: the timestamp travels inside the signature header. */
  timestamp?: string;
}

/** The candidate signatures a header carries (unknown versions ignored, as the providers do). */
export function parseSignatureHeader(profile: Profile, value: string): ParsedSignature {
  const f = profile.format;
  if (f.kind === "stripe") {
    const out: ParsedSignature = { signatures: [] };
    for (const part of value.split(",")) {
      const eq = part.indexOf("=");
      const [k, v] = [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
      if (k === "t") out.timestamp = v;
      else if (k === f.version && v) out.signatures.push(v);
    }
    return out;
  }
  const parts = f.separator ? value.split(f.separator) : [value];
  return {
    signatures: parts
      .map((p) => p.trim())
      .filter((p) => p.startsWith(f.prefix))
      .map((p) => p.slice(f.prefix.length))
      .filter(Boolean),
  };
}

/** Constant-time comparison of one candidate against the expected signature. */
export function signatureMatches(expected: string, candidate: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(candidate);
  return a.length === b.length && timingSafeEqual(a, b);
}
