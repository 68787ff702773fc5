/**
 * What a pasted secret value looks like (dense, random-looking, no path or URL shape): vocabulary
 * the schema (refusing secret-looking probe header values) and the secret scanner (redact/) share.
 */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

/** A dense random-looking token: no spaces, no path or URL shape, high entropy, mixed classes. */
export function looksLikeSecretValue(s: string): boolean {
  if (s.length < 20 || s.length > 4096 || /\s/.test(s)) return false;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(s) || s.includes("/")) return false;
  if (/^[A-Z][A-Z0-9_]*$/.test(s)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(s)).length;
  return classes >= 2 && shannonEntropy(s) >= 3.7;
}
