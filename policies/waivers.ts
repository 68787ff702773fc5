/**
 * Waivers suppress findings (visibly) until they expire. Only a sound waiver suppresses: one that
 * is expired, over the lifetime cap (limits.maxWaiverDays) or without an owner and reason is a
 * finding itself and suppresses nothing. Findings about a waiver are keyed by what it says
 * (rule + subject pattern), never by its position, so reordering the file changes no fingerprint.
 */
import { addDays } from "../model/dates.js";
import type { LocatedWaiver } from "../load/loader.js";
import type { Finding } from "./types.js";
import { WAIVER_RULES } from "./registry.js";

export const DEFAULT_MAX_WAIVER_DAYS = 90;

export function globToRegExp(glob: string): RegExp {
  const escaped = glob
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${escaped}$`);
}

/** `waiver/<rule>:<pattern>`, plus a key that tells identical waivers apart by their order among themselves. */
export function waiverSubjects(
  waivers: readonly Pick<LocatedWaiver, "rule" | "subject">[],
): { subject: string; key: string }[] {
  const seen = new Map<string, number>();
  return waivers.map((w) => {
    const subject = `waiver/${w.rule}:${w.subject}`;
    const n = seen.get(subject) ?? 0;
    seen.set(subject, n + 1);
    return { subject, key: n === 0 ? "" : `#${n + 1}` };
  });
}

/** Marks waived findings in place and returns findings about the waivers themselves. */
export function applyWaivers(
  findings: Finding[],
  waivers: LocatedWaiver[],
  now: string,
  maxDays = DEFAULT_MAX_WAIVER_DAYS,
  fingerprint: (id: string, subject: string, key: string) => string,
): Finding[] {
  const meta: Finding[] = [];
  const latest = addDays(now, maxDays);
  const ids = waiverSubjects(waivers);
  waivers.forEach((w, i) => {
    const { subject, key } = ids[i]!;
    const mk = (ruleId: keyof typeof WAIVER_RULES, message: string): Finding => ({
      ruleId,
      severity: WAIVER_RULES[ruleId].severity,
      message,
      subject,
      location: w.location,
      fingerprint: fingerprint(ruleId, subject, key),
      waived: false,
    });
    // An unsound waiver is reported for what is wrong with it, not also as unused.
    if (w.expires < now) {
      meta.push({
        ...mk(
          "waiver-expired",
          `waiver for ${w.rule} on ${w.subject} expired ${w.expires} (owner ${w.owner}); it suppresses nothing`,
        ),
        date: w.expires,
      });
      return;
    }
    if (w.expires > latest) {
      meta.push(
        mk(
          "waiver-too-long",
          `waiver for ${w.rule} on ${w.subject} expires ${w.expires}, more than ${maxDays} days after ${now}; it suppresses nothing`,
        ),
      );
      return;
    }
    if (!w.owner.trim() || !w.reason.trim()) {
      meta.push(
        mk(
          "waiver-incomplete",
          `waiver for ${w.rule} on ${w.subject} has no ${!w.owner.trim() ? "owner" : "reason"}; it suppresses nothing`,
        ),
      );
      return;
    }
    const re = globToRegExp(w.subject);
    let used = false;
    for (const f of findings) {
      if (f.waived || f.ruleId !== w.rule || !re.test(f.subject)) continue;
      f.waived = true;
      f.waiver = { owner: w.owner, reason: w.reason, expires: w.expires, ...(w.ticket ? { ticket: w.ticket } : {}) };
      used = true;
    }
    if (!used)
      meta.push({
        ...mk("waiver-unused", `waiver for ${w.rule} on ${w.subject} matches no finding`),
        severity: "warning",
      });
  });
  return meta;
}
