/**
 * The manifest's sections, one row each: the schemas of a name and of an entry, what a message
 * calls one entry, the prefix of a finding's subject, and the hint for a name the schema refuses.
 * The file schema, the model type, the loader's checks, references and subjects derive from it.
 */
import { z } from "zod";
import {
  Alert,
  Api,
  Channel,
  Environment,
  Secret,
  Service,
  Webhook,
  alertName,
  envName,
  secretName,
  serviceName,
} from "./schema.js";

const KEBAB_NAMES = "Names are lower-case kebab-case (a-z, 0-9, -), e.g. shopify-admin.";

export const SECTION = {
  environments: {
    name: envName,
    entry: Environment,
    one: "environment",
    subject: "environment",
    nameHint: "Environment names are lower-case, e.g. staging.",
  },
  services: { name: serviceName, entry: Service, one: "service", subject: "service", nameHint: KEBAB_NAMES },
  secrets: {
    name: secretName,
    entry: Secret,
    one: "secret",
    subject: "secret",
    nameHint: "Secret names are UPPER_SNAKE_CASE, e.g. OPENAI_API_KEY.",
  },
  apis: { name: serviceName, entry: Api, one: "api", subject: "api", nameHint: KEBAB_NAMES },
  webhooks: { name: serviceName, entry: Webhook, one: "webhook", subject: "webhook", nameHint: KEBAB_NAMES },
  channels: { name: serviceName, entry: Channel, one: "channel", subject: "channel", nameHint: KEBAB_NAMES },
  alerts: { name: alertName, entry: Alert, one: "alert", subject: "alert", nameHint: KEBAB_NAMES },
} as const;

export type Section = keyof typeof SECTION;
/** In the table's order, which is the order of the schema's keys and of every listing. */
export const SECTIONS = Object.keys(SECTION) as Section[];

/** One section's entry, as validated. */
export type EntryOf<K extends Section> = z.output<(typeof SECTION)[K]["entry"]>;

type FileShape = {
  [K in Section]: z.ZodOptional<z.ZodRecord<(typeof SECTION)[K]["name"], (typeof SECTION)[K]["entry"]>>;
};

/** A manifest file: any of the sections, each a mapping of names to entries. */
export const ManifestFile = z.strictObject(
  Object.fromEntries(SECTIONS.map((k) => [k, z.record(SECTION[k].name, SECTION[k].entry).optional()])) as FileShape,
);

/** The subject findings use for one entry, such as `api/shopify-admin` (`secret/X@production` for one environment). */
export function subjectOf(section: Section, name: string, env?: string): string {
  return `${SECTION[section].subject}/${name}${env ? `@${env}` : ""}`;
}
