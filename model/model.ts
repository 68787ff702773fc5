/**
 * The typed model every stage reads: one map per manifest section (sections.ts), names as keys.
 * Loading builds it (load/), policies judge it, synthesis and probes act on it; none of them needs
 * the loader for it.
 */
import { SECTIONS, type EntryOf, type Section } from "./sections.js";

export type Model = { organization: string | undefined } & { [K in Section]: Map<string, EntryOf<K>> };

/** A model with every section empty. */
export function emptyModel(organization?: string): Model {
  return { organization, ...Object.fromEntries(SECTIONS.map((s) => [s, new Map()])) } as Model;
}
