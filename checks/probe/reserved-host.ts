/**
 * Names that can never be a real service (RFC 2606, RFC 6761): refused before any DNS lookup, for
 * declared endpoints and redirect targets alike, so no traffic (not even a query) leaves for them.
 * The name is normalised first: case, and trailing dots (`api.example.` is `api.example`).
 * `localhost` itself and loopback addresses stay allowed; other `*.localhost` names do not.
 */
const RESERVED_TLDS = ["example", "invalid", "test", "localhost"];
const RESERVED_DOMAINS = ["example.com", "example.net", "example.org"];

/** Lower-cased, without trailing dots and IPv6 brackets. */
export function normaliseHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/\.+$/, "")
    .replace(/^\[(.*)\]$/, "$1");
}

/** The normalised host name when it is reserved, else undefined. */
export function reservedHostname(hostname: string): string | undefined {
  const host = normaliseHost(hostname);
  if (host === "localhost") return undefined;
  const labels = host.split(".");
  if (RESERVED_TLDS.includes(labels[labels.length - 1]!)) return host;
  if (RESERVED_DOMAINS.some((d) => host === d || host.endsWith(`.${d}`))) return host;
  return undefined;
}

/** The reserved host name of a URL, else undefined (also for a URL that does not parse). */
export function reservedHost(url: string | URL | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return reservedHostname((typeof url === "string" ? new URL(url) : url).hostname);
  } catch {
    return undefined;
  }
}

export function reservedMessage(host: string): string {
  return `${host} is a reserved documentation hostname (RFC 2606/6761); not contacted`;
}
