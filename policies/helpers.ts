/** Small pure helpers shared by the built-in policies. */
import { z } from "zod";
import { addDays } from "../model/dates.js";
import { durationSeconds } from "../model/duration.js";
import type { SecretT } from "../model/schema.js";

export const noOptions = z.strictObject({});

export const secretSubject = (name: string, env?: string) => (env ? `secret/${name}@${env}` : `secret/${name}`);

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
