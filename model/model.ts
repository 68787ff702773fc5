/**
 * The typed model every stage reads: one map per manifest section, names as keys. Loading builds it
 * (load/), policies judge it, synthesis and probes act on it; none of them needs the loader for it.
 */
import type { AlertT, ApiT, ChannelT, EnvironmentT, SecretT, ServiceT, WebhookT } from "./schema.js";

export interface Model {
  organization: string | undefined;
  environments: Map<string, EnvironmentT>;
  services: Map<string, ServiceT>;
  secrets: Map<string, SecretT>;
  apis: Map<string, ApiT>;
  webhooks: Map<string, WebhookT>;
  channels: Map<string, ChannelT>;
  alerts: Map<string, AlertT>;
}
