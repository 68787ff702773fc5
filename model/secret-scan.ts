/**
 * Finds secret values pasted into manifests. secretlint's recommended preset is the detector for
 * known token formats; a small entropy check covers value-like fields it cannot know about.
 * Findings carry offsets and a rule name, never the value itself.
 */
import { lintSource } from "@secretlint/core";
import { creator as recommended } from "@secretlint/secretlint-rule-preset-recommend";

export interface SecretHit {
  start: number;
  end: number;
  rule: string;
}

const CONFIG = { rules: [{ id: "@secretlint/secretlint-rule-preset-recommend", rule: recommended }] };

export async function scanText(content: string, filePath: string): Promise<SecretHit[]> {
  const result = await lintSource({
    source: { filePath, content, ext: ".yaml", contentType: "text" },
    options: { config: CONFIG as any, maskSecrets: true, noPhysicFilePath: true },
  });
  return result.messages.map((m) => ({
    start: m.range[0],
    end: m.range[1],
    rule: m.ruleId.replace(/^@secretlint\/secretlint-rule-/, "secretlint/"),
  }));
}

/** Keys whose values look like credentials when they are long, dense and not a path or URL. */
export const VALUE_LIKE_KEYS = new Set([
  "value", "token", "password", "passwd", "apikey", "api_key", "key", "secretvalue", "credential", "credentials",
  "privatekey", "private_key", "auth", "authorization", "bearer", "ref", "routingkey", "webhookurl", "clientsecret",
]);

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
