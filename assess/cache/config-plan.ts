/**
 * The folders tollgate.yaml names (the result cache's "plan"), read from the config's bytes with
 * the loader's own schema. Only a cold run of a config the cache has not seen loads this (it loads
 * yaml and zod, which that run's loader needs next anyway); warm runs read the recorded plan.
 * The one reader of tollgate.yaml besides load/config.ts, by design: it must read the very bytes
 * the cache hashed, before the loader runs, and needs no positions.
 */
import { parse } from "yaml";
import { ProjectConfig } from "../../model/schema.js";
import type { Plan } from "./result-inputs.js";

/** Undefined when the config does not parse: that run exits 2 and is not stored. */
export function planOfConfigBytes(bytes: Buffer): Plan | undefined {
  try {
    // readConfig marks a missing or unreadable config with a leading NUL: the loader's defaults apply.
    const text = bytes[0] === 0 ? "" : bytes.toString("utf8");
    const parsed = ProjectConfig.safeParse(text.trim() === "" ? {} : parse(text));
    if (!parsed.success) return undefined;
    return {
      manifests: parsed.data.manifests,
      waivers: parsed.data.waivers,
      customPolicies: parsed.data.customPolicies,
    };
  } catch {
    return undefined;
  }
}
