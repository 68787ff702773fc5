/**
 * Provider signing profiles, as data: the one table the probe (which signs) and the verifier
 * (which checks) both read. A profile fixes what a manifest would otherwise have to spell out:
 * the headers, the signed content, the encoding and prefixes, the secret format, where the
 * delivery id and the timestamp live and the default timestamp window.
 */

export type ProfileScheme = "stripe" | "standard-webhooks" | "svix" | "slack" | "github" | "shopify";

/** How the signature header is written. */
export type SignatureFormat =
  /** One or more `<prefix><signature>` values joined by `separator` (`separator` absent: exactly one). */
  | { kind: "list"; prefix: string; separator?: string }
  /** Stripe: `t=<timestamp>,v1=<sig>[,v1=<sig>…]` in one header. */
  | { kind: "stripe"; version: string };

export interface Profile {
  scheme: ProfileScheme | "hmac-sha256";
  /** Shown in docs and probe details. */
  provider: string;
  signatureHeader: string;
  format: SignatureFormat;
  encoding: "hex" | "base64";
  /** What the HMAC covers: `{id}`, `{timestamp}` and `{body}` (the raw bytes) are filled in. */
  signedContent: string;
  /** `whsec-base64`: strip an optional `whsec_` and base64-decode (Standard Webhooks, Svix); `utf8`: the string as is. */
  secret: "utf8" | "whsec-base64";
  /** Where the signed timestamp (Unix seconds) is: its own header, or inside the signature header (Stripe). */
  timestamp?: { header: string } | { inSignature: true };
  /** Where the delivery's id is; `signed` when the HMAC covers it. */
  id?: { header: string; signed: boolean } | { bodyField: string };
  /** The provider's default timestamp window, seconds. */
  toleranceSeconds?: number;
  /** Other headers the provider always sends and full SDK validators expect (set them in probe.headers). */
  providerHeaders: readonly string[];
  docs: string;
}

export const PROFILES: Readonly<Record<ProfileScheme, Profile>> = {
  stripe: {
    scheme: "stripe",
    provider: "Stripe",
    signatureHeader: "Stripe-Signature",
    format: { kind: "stripe", version: "v1" },
    encoding: "hex",
    signedContent: "{timestamp}.{body}",
    secret: "utf8",
    timestamp: { inSignature: true },
    id: { bodyField: "id" },
    toleranceSeconds: 300,
    providerHeaders: [],
    docs: "https://docs.stripe.com/webhooks#verify-manually",
  },
  "standard-webhooks": {
    scheme: "standard-webhooks",
    provider: "Standard Webhooks (OpenAI, …)",
    signatureHeader: "webhook-signature",
    format: { kind: "list", prefix: "v1,", separator: " " },
    encoding: "base64",
    signedContent: "{id}.{timestamp}.{body}",
    secret: "whsec-base64",
    timestamp: { header: "webhook-timestamp" },
    id: { header: "webhook-id", signed: true },
    toleranceSeconds: 300,
    providerHeaders: [],
    docs: "https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md",
  },
  svix: {
    scheme: "svix",
    provider: "Svix",
    signatureHeader: "svix-signature",
    format: { kind: "list", prefix: "v1,", separator: " " },
    encoding: "base64",
    signedContent: "{id}.{timestamp}.{body}",
    secret: "whsec-base64",
    timestamp: { header: "svix-timestamp" },
    id: { header: "svix-id", signed: true },
    toleranceSeconds: 300,
    providerHeaders: [],
    docs: "https://docs.svix.com/receiving/verifying-payloads/how-manual",
  },
  slack: {
    scheme: "slack",
    provider: "Slack",
    signatureHeader: "X-Slack-Signature",
    format: { kind: "list", prefix: "v0=" },
    encoding: "hex",
    signedContent: "v0:{timestamp}:{body}",
    secret: "utf8",
    timestamp: { header: "X-Slack-Request-Timestamp" },
    id: { bodyField: "event_id" },
    toleranceSeconds: 300,
    providerHeaders: [],
    docs: "https://api.slack.com/authentication/verifying-requests-from-slack",
  },
  github: {
    scheme: "github",
    provider: "GitHub",
    signatureHeader: "X-Hub-Signature-256",
    format: { kind: "list", prefix: "sha256=" },
    encoding: "hex",
    signedContent: "{body}",
    secret: "utf8",
    id: { header: "X-GitHub-Delivery", signed: false },
    providerHeaders: ["X-GitHub-Event", "X-GitHub-Hook-ID"],
    docs: "https://docs.github.com/en/webhooks/using-webhooks/validating-webhook-deliveries",
  },
  shopify: {
    scheme: "shopify",
    provider: "Shopify",
    signatureHeader: "X-Shopify-Hmac-Sha256",
    format: { kind: "list", prefix: "" },
    encoding: "base64",
    signedContent: "{body}",
    secret: "utf8",
    id: { header: "X-Shopify-Webhook-Id", signed: false },
    providerHeaders: ["X-Shopify-Topic", "X-Shopify-Shop-Domain", "X-Shopify-API-Version"],
    docs: "https://shopify.dev/docs/apps/build/webhooks/subscribe/https#step-2-validate-the-origin-of-your-webhook-to-ensure-its-coming-from-shopify",
  },
};

export const PROFILE_SCHEMES = Object.keys(PROFILES) as ProfileScheme[];

/** The manifest's `webhooks.<name>` fields the profile and verifier read (structurally the manifest's type). */
export interface SignatureDeclaration {
  scheme: ProfileScheme | "hmac-sha256" | "none";
  header?: string;
  encoding?: "hex" | "base64";
  prefix?: string;
  timestampHeader?: string;
  signedPayload?: "body" | "timestamp.body";
}

export interface WebhookDeclaration {
  signature?: SignatureDeclaration;
  timestampTolerance?: string;
  idempotency?: { keyHeader?: string; ttl: string };
  rateLimits?: { perSource: { limit: number; per: string }[] };
  ipAllowlist?: { enabled: boolean; cidrs?: string[] };
}

/** The profile a declaration means: a provider's from the table, or the generic scheme's from its own fields. */
export function profileFor(w: WebhookDeclaration): Profile | undefined {
  const sig = w.signature;
  if (!sig || sig.scheme === "none") return undefined;
  if (sig.scheme !== "hmac-sha256") return PROFILES[sig.scheme];
  if (!sig.header) throw new Error("bug: hmac-sha256 signature without a header (refused at validation)");
  return {
    scheme: "hmac-sha256",
    provider: "generic HMAC-SHA256",
    signatureHeader: sig.header,
    format: { kind: "list", prefix: sig.prefix ?? "" },
    encoding: sig.encoding ?? "hex",
    signedContent: sig.signedPayload === "timestamp.body" ? "{timestamp}.{body}" : "{body}",
    secret: "utf8",
    ...(sig.timestampHeader ? { timestamp: { header: sig.timestampHeader } } : {}),
    ...(w.idempotency?.keyHeader ? { id: { header: w.idempotency.keyHeader, signed: false } } : {}),
    providerHeaders: [],
    docs: "",
  };
}
