/**
 * The policy API, shared by built-in and custom policies: metadata, an options schema, and a pure
 * check over the typed model that reports findings through a callback.
 */
import type { z } from "zod";
import type { Model } from "../model/model.js";
import type { Section } from "../model/sections.js";

export type { Section };
import type { Location } from "../load/source-map.js";

export type PolicySeverity = "error" | "warning" | "note";
export type PolicyCategory = "secrets" | "rate-limits" | "webhooks" | "monitoring";

/** Where in the manifests a finding points: an entity and, optionally, a key path inside it. */
export interface Anchor {
  section: Section;
  name: string;
  path?: (string | number)[];
}

export interface FindingInput {
  /** The thing at fault: `secret/OPENAI_API_KEY@production`, `service/llamaindex-rag-mcp`. */
  subject: string;
  message: string;
  at: Anchor;
  /** Distinguishes several findings of one rule on one subject (part of the fingerprint). */
  key?: string;
  /** Date the finding is about (due dates), used by forecasts. */
  date?: string;
}

export interface PolicyContext<O> {
  model: Model;
  options: O;
  now: string;
  /** Environments in scope (all, or the one named by --env). */
  environments: string[];
  /** The environment marked `production: true`, if any. */
  production: string | undefined;
  /** Live evidence from `check --probe-results FILE` (a `tollgate probe --format json` run), when given. */
  evidence?: ProbeEvidence | undefined;
}

/** What a probe run proved, as policies read it. */
export interface ProbeEvidence {
  env: string;
  now: string;
  /** Per API with a declared metrics endpoint in that environment: were @tollgate/client's series there. */
  clientMetrics: Map<string, { present: boolean; detail: string }>;
}

export interface Policy<O = any> {
  id: string;
  title: string;
  category: PolicyCategory;
  severity: PolicySeverity;
  rationale: string;
  remediation: string;
  /** Where the policy is documented (http or https); findings link to it. Built-ins: docs/policies.md#<id>. */
  docsUrl?: string;
  options: z.ZodType<O>;
  /** The scorecard category the policy counts in (every built-in declares one; custom: docs/custom-policies.md). */
  scorecard?: { id: string; category: string; categoryTitle?: string };
  /** Pure: reads the model and reports findings. Custom policies' checks may be async. */
  check(ctx: PolicyContext<O>, report: (finding: FindingInput) => void): void | Promise<void>;
}

export function definePolicy<O>(policy: Policy<O>): Policy<O> {
  return policy;
}

export interface Finding {
  ruleId: string;
  severity: PolicySeverity;
  message: string;
  subject: string;
  location: Location;
  fingerprint: string;
  waived: boolean;
  waiver?: { owner: string; reason: string; ticket?: string; expires: string };
  baselineState?: "new" | "unchanged" | "updated" | "absent";
  date?: string;
}
