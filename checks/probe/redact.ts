/**
 * One redactor per probe or mcp-tools run, built before anything is contacted from every configured
 * header value and every signing secret the run may read from the environment. Applied at the
 * output boundary (result details, every output format, the --state file, error messages). A value
 * is matched raw, without its auth scheme (`Bearer `, `Basic `, `token `), decoded from basic-auth
 * base64 (`user:pass` and the password alone), and in the JSON-escaped, URL-encoded and base64
 * forms redact/redact.ts derives; credentials in URLs (`//user:pass@`) are masked as well.
 */
import type { Model } from "../../model/model.js";
import { SecretSet } from "../../redact/redact.js";

export class Redactor {
  private readonly set = new SecretSet();

  add(value: string | undefined): void {
    if (!value) return;
    this.set.add(value);
    this.set.add(value.trim());
    const scheme = /^\s*([A-Za-z][A-Za-z0-9._-]*)\s+(\S.*?)\s*$/.exec(value);
    if (!scheme) return;
    const credential = scheme[2]!;
    this.set.add(credential);
    if (scheme[1]!.toLowerCase() === "basic" && /^[A-Za-z0-9+/]+=*$/.test(credential)) {
      const decoded = Buffer.from(credential, "base64").toString("utf8");
      if (Buffer.from(decoded, "utf8").toString("base64").replace(/=+$/, "") === credential.replace(/=+$/, "")) {
        this.set.add(decoded);
        const colon = decoded.indexOf(":");
        if (colon >= 0) this.set.add(decoded.slice(colon + 1));
      }
    }
  }

  redact(text: string): string {
    return this.set.redact(text.replace(/\/\/[^/@\s]+:[^/@\s]+@/g, "//[REDACTED]@"));
  }

  /** A copy of a JSON-like value with every string (keys too) redacted. */
  redactDeep<T>(value: T): T {
    return this.set.redactDeep(value);
  }
}

/**
 * Every secret a probe of `model` may read from `environment`: header values and stdio MCP server
 * variables of every service
 * (not only the selected ones: over-redacting is harmless) and webhook probe signing secrets.
 */
export function probeRedactor(model: Model, environment: NodeJS.ProcessEnv): Redactor {
  const r = new Redactor();
  for (const s of model.services.values()) {
    for (const { fromEnv } of Object.values(s.healthCheck?.headers ?? {})) r.add(environment[fromEnv]);
    for (const { fromEnv } of Object.values(s.healthCheck?.mcp?.env ?? {})) r.add(environment[fromEnv]);
    if (s.healthCheck?.mcp?.oauth) r.add(environment[s.healthCheck.mcp.oauth.clientSecret.fromEnv]);
  }
  for (const w of model.webhooks.values())
    if (w.signature && w.signature.scheme !== "none" && w.signature.probeSecretEnv)
      r.add(environment[w.signature.probeSecretEnv]);
  return r;
}

/** Rethrows `e` with its message redacted, so a top-level error handler cannot print a secret. */
export function redactError(e: unknown, r: Redactor): unknown {
  if (e instanceof Error) {
    e.message = r.redact(e.message);
    if (e.stack) e.stack = r.redact(e.stack);
  }
  return e;
}
