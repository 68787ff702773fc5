/**
 * OAuth 2.1 client credentials for remote MCP servers, with the SDK's own provider and token
 * request (`ClientCredentialsProvider`, `fetchToken`): the declared token endpoint gets the client
 * id and secret (read from the environment by name) with `client_secret_basic`, and the access
 * token it returns is sent to the MCP server as a bearer token. The token request obeys the
 * probe's network rules (no reserved names, capped body, plain HTTP only to loopback).
 */
import { ClientCredentialsProvider, assertSecureTokenEndpoint, fetchToken } from "@modelcontextprotocol/client";
import { guardedFetch } from "./mcp-transport.js";
import { reservedHost, reservedMessage } from "./reserved-host.js";

/** A token response is small; anything larger is not one. */
const TOKEN_MAX_BYTES = 65_536;

export interface ClientCredentials {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scope?: string;
}

export async function clientCredentialsToken(c: ClientCredentials, signal?: AbortSignal): Promise<string> {
  const url = new URL(c.tokenUrl);
  const reserved = reservedHost(url);
  if (reserved) throw new Error(reservedMessage(reserved));
  assertSecureTokenEndpoint(url);
  const issuer = url.origin;
  const provider = new ClientCredentialsProvider({
    clientId: c.clientId,
    clientSecret: c.clientSecret,
    expectedIssuer: issuer,
    ...(c.scope ? { scope: c.scope } : {}),
  });
  const metadata = {
    issuer,
    authorization_endpoint: url.href,
    token_endpoint: url.href,
    response_types_supported: ["token"],
    grant_types_supported: ["client_credentials"],
    token_endpoint_auth_methods_supported: ["client_secret_basic"],
  };
  const guard: { tooLarge?: string } = {};
  const fetchFn = guardedFetch(url, { headers: {}, maxBytes: TOKEN_MAX_BYTES, ...(signal ? { signal } : {}) }, guard);
  try {
    const tokens = await fetchToken(provider, issuer, {
      metadata,
      fetchFn: fetchFn as never,
      ...(c.scope ? { scope: c.scope } : {}),
    });
    if (!tokens.access_token) throw new Error("the token endpoint returned no access_token");
    return tokens.access_token;
  } catch (e) {
    throw guard.tooLarge ? new Error(guard.tooLarge) : e;
  }
}
