/**
 * Redaction of known secret values from any text Tollgate emits. A value is matched as written and
 * in every escaped form a message or a server could show it in: JSON-escaped (with and without
 * `\/` and `\uXXXX`), URL-encoded, base64, and each long line of a multi-line value (PEM bodies).
 */
export const REDACTED = "[REDACTED]";

/** Shorter values are too likely to be ordinary words; they are not matched. */
export const MIN_SECRET_LENGTH = 4;

function jsonInner(v: string): string {
  return JSON.stringify(v).slice(1, -1);
}

/** Every form of `value` that counts as showing it. */
export function secretForms(value: string): string[] {
  if (value.length < MIN_SECRET_LENGTH) return [];
  const forms = new Set<string>([value]);
  const json = jsonInner(value);
  forms.add(json);
  forms.add(json.replace(/\//g, "\\/"));
  forms.add(json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`));
  const url = encodeURIComponent(value);
  forms.add(url);
  forms.add(url.replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()));
  forms.add(url.replace(/%20/g, "+"));
  const b64 = Buffer.from(value, "utf8").toString("base64");
  forms.add(b64);
  forms.add(b64.replace(/=+$/, ""));
  forms.add(Buffer.from(value, "utf8").toString("base64url"));
  if (/[\r\n]/.test(value))
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= 16) forms.add(line.trim());
  return [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH);
}

/** A set of secret values, expanded once into all their forms, longest first. */
export class SecretSet {
  private readonly all = new Set<string>();
  private sorted: string[] | undefined;
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    if (!value || value.length < MIN_SECRET_LENGTH || this.values.has(value)) return;
    this.values.add(value);
    for (const f of secretForms(value)) this.all.add(f);
    this.sorted = undefined;
  }

  /** Longest first, so a value containing another is replaced whole. */
  private get forms(): string[] {
    this.sorted ??= [...this.all].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
    return this.sorted;
  }

  get size(): number {
    return this.values.size;
  }

  redact(text: string): string {
    let out = text;
    for (const f of this.forms) if (out.includes(f)) out = out.split(f).join(REDACTED);
    return out;
  }

  /** Redacts every string inside a JSON-like value (keys too), returning a copy. */
  redactDeep<T>(value: T): T {
    if (typeof value === "string") return this.redact(value) as T;
    if (Array.isArray(value)) return value.map((v) => this.redactDeep(v)) as T;
    if (value && typeof value === "object") {
      const out: Record<string, unknown> = Object.create(null);
      for (const [k, v] of Object.entries(value)) out[this.redact(k)] = this.redactDeep(v);
      return out as T;
    }
    return value;
  }
}
