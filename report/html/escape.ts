/** HTML escaping for every string that reaches the report: manifest text is data, never markup. */

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

/** Escapes text for element content and quoted attribute values alike. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ENTITIES[c]!);
}

/** A CSS-class-safe token from arbitrary text (status strings, severities). */
export function token(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]+/g, "") || "unknown";
}

/** Stable, safe element id from arbitrary text. */
export function anchorId(prefix: string, value: string): string {
  return `${prefix}-${value.toLowerCase().replace(/[^a-z0-9-]+/g, "_")}`;
}

/** Tagged template that escapes every interpolated value unless it is already trusted markup. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.markup;
  if (Array.isArray(v)) return v.map(render).join("");
  if (v === undefined || v === null || v === false) return "";
  return esc(v);
}

/** Marks markup produced elsewhere (the Graphviz SVG, the inline CSS) as trusted. */
export const raw = (markup: string): Html => new Html(markup);
