/** Small pure helpers shared by the built-in policies. */
import { z } from "zod";
import type { Policy } from "./types.js";
import { addDays } from "../model/dates.js";
import { durationSeconds } from "../model/duration.js";
import type { SecretT } from "../model/schema.js";
import { subjectOf } from "../model/sections.js";

export const noOptions = z.strictObject({});

export const secretSubject = (name: string, env?: string) => subjectOf("secrets", name, env);

/** Placements of a secret in the environments in scope. */
export function placements(secret: SecretT, environments: string[]): [string, SecretT["environments"][string]][] {
  return Object.entries(secret.environments).filter(([env]) => environments.includes(env));
}

export function dueDate(lastRotated: string, rotationDays: number): string {
  return addDays(lastRotated, rotationDays);
}

/** A rate window as requests (or tokens) per second, so different windows compare. */
export function perSecond(w: { limit: number; per: string }): number {
  return w.limit / durationSeconds(w.per);
}

type SecretField = "owner" | "runbook" | "readers" | "verification";

/** A secrets policy that requires one field on every secret (missing, or an empty list). */
export function requireSecretField(
  meta: Omit<Policy<Record<string, never>>, "category" | "severity" | "options" | "check">,
  field: SecretField,
  message: string,
): Policy<Record<string, never>> {
  return {
    ...meta,
    category: "secrets",
    severity: "error",
    options: noOptions,
    check({ model }, report) {
      for (const [name, s] of model.secrets) {
        const v = s[field];
        if (v === undefined || (Array.isArray(v) && v.length === 0))
          report({ subject: secretSubject(name), message, at: { section: "secrets", name, path: [field] } });
      }
    },
  };
}
