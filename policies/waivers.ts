/** Waivers suppress findings (visibly) until they expire; stale or over-long waivers are findings. */
import { addDays } from "../model/dates.js";
import type { LocatedWaiver } from "../model/loader.js";
import type { Finding } from "./types.js";
import { WAIVER_RULES } from "./registry.js";

export const DEFAULT_MAX_WAIVER_DAYS = 90;

export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

export interface WaiverOutcome {
  findings: Finding[];
}

/** Marks waived findings in place and returns findings about the waivers themselves. */
export function applyWaivers(findings: Finding[], waivers: LocatedWaiver[], now: string, maxDays = DEFAULT_MAX_WAIVER_DAYS, fingerprint: (id: string, subject: string, key: string) => string): Finding[] {
  const meta: Finding[] = [];
  const used = new Set<number>();
  const latest = addDays(now, maxDays);
  waivers.forEach((w, i) => {
    const subject = `waiver/${i + 1}:${w.rule}:${w.subject}`;
    const mk = (ruleId: keyof typeof WAIVER_RULES, message: string): Finding => ({
      ruleId, severity: WAIVER_RULES[ruleId].severity, message, subject, location: w.location,
      fingerprint: fingerprint(ruleId, subject, ""), waived: false,
    });
    if (w.expires < now) {
      meta.push({ ...mk("waiver-expired", `waiver for ${w.rule} on ${w.subject} expired ${w.expires} (owner ${w.owner})`), date: w.expires });
      used.add(i); // an expired waiver is reported as expired, not also as unused
      return;
    }
    if (w.expires > latest) meta.push(mk("waiver-too-long", `waiver expires ${w.expires}, more than ${maxDays} days after ${now}`));
    const re = globToRegExp(w.subject);
    for (const f of findings) {
      if (f.waived || f.ruleId !== w.rule || !re.test(f.subject)) continue;
      f.waived = true;
      f.waiver = { owner: w.owner, reason: w.reason, expires: w.expires, ...(w.ticket ? { ticket: w.ticket } : {}) };
      used.add(i);
    }
  });
  waivers.forEach((w, i) => {
    if (!used.has(i)) {
      const subject = `waiver/${i + 1}:${w.rule}:${w.subject}`;
      meta.push({ ruleId: "waiver-unused", severity: "warning", message: `waiver for ${w.rule} on ${w.subject} matches no finding`, subject, location: w.location, fingerprint: fingerprint("waiver-unused", subject, ""), waived: false });
    }
  });
  return meta;
}
