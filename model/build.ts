/**
 * Builds a typed model straight from plain objects (no files, no positions). Policy test tables
 * and custom-policy fixtures use it; real runs go through loadProject.
 */
import type { z } from "zod";
import { emptyModel, type Model } from "./model.js";
import { ManifestFile, SECTIONS } from "./sections.js";

export type ManifestInput = z.input<typeof ManifestFile>;

export function buildModel(input: ManifestInput, organization?: string): Model {
  const parsed = ManifestFile.parse(input);
  const model = emptyModel(organization);
  for (const section of SECTIONS) {
    const entries = Object.entries((parsed[section] ?? {}) as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : 1,
    );
    for (const [k, v] of entries) (model[section] as Map<string, unknown>).set(k, v);
  }
  return model;
}
