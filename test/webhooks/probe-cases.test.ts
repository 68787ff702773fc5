/**
 * The probe's test deliveries (checks/probe/webhook-cases.ts) keep what the profile manages to
 * themselves: a fixed probe.headers entry that spells a signature, timestamp or id header in another
 * case cannot refill the header a case removed on purpose, nor pin every delivery to one id.
 */
import { describe, expect, it } from "vitest";
import { PROFILE_SCHEMES, PROFILES } from "@tollgate/webhooks";
import { buildCases } from "../../checks/probe/webhook-cases.js";

const managed = (scheme: (typeof PROFILE_SCHEMES)[number]) => {
  const p = PROFILES[scheme];
  return [
    p.signatureHeader,
    ...(p.timestamp && "header" in p.timestamp ? [p.timestamp.header] : []),
    ...(p.id && "header" in p.id ? [p.id.header] : []),
  ];
};
const get = (h: Record<string, string>, name: string) =>
  Object.entries(h)
    .filter(([k]) => k.toLowerCase() === name.toLowerCase())
    .map(([, v]) => v);

describe.each(PROFILE_SCHEMES)("%s", (scheme) => {
  const p = PROFILES[scheme];
  const extra = Object.fromEntries(
    managed(scheme).map((h) => [h.toLowerCase() === h ? h.toUpperCase() : h.toLowerCase(), "from-probe-headers"]),
  );
  const { before, first, after } = buildCases({
    profile: p,
    secret: scheme === "standard-webhooks" || scheme === "svix" ? "whsec_dG9sbGdhdGUta2V5" : "s",
    nowSec: 1_800_000_000,
    toleranceSec: 300,
    extraHeaders: { ...extra, "X-Event": "ping" },
  });
  const all = [...before.map((c) => c.req), first, ...after.map((c) => c.req)];

  it("no request carries a profile-managed header from probe.headers; other fixed headers are sent", () => {
    for (const r of all) {
      for (const h of managed(scheme)) expect(get(r.headers, h)).not.toContain("from-probe-headers");
      expect(r.headers["X-Event"]).toBe("ping");
    }
  });

  it("the unsigned case has no signature header and the missing-id case no id header, in any case", () => {
    expect(get(before.find((c) => c.name === "unsigned")!.req.headers, p.signatureHeader)).toEqual([]);
    const missing = before.find((c) => c.name === "missing id");
    if (p.id && "header" in p.id) expect(get(missing!.req.headers, p.id.header)).toEqual([]);
  });
});
