/**
 * Each provider's own signing and verification code, behind one shape, for the interop tests and
 * the receivers in webhook-receivers.ts. Shopify publishes no verifier library: its documented
 * check (base64 HMAC-SHA256 of the raw body, X-Shopify-Hmac-Sha256) is written out here, and
 * Slack's signer is its documented basestring (`v0:timestamp:body`), which @slack/bolt checks.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import { sign as octokitSign, verify as octokitVerify } from "@octokit/webhooks-methods";
import { verifySlackRequest } from "@slack/bolt";
import { Webhook as StandardWebhook } from "standardwebhooks";
import Stripe from "stripe";
import { Webhook as SvixWebhook } from "svix";
import type { ProfileScheme } from "@tollgate/webhooks";

const stripe = new Stripe("sk_test_tollgate_interop_not_a_key");

export type Headers = Record<string, string>;
export interface Verified {
  ok: boolean;
  timestamp?: number;
}

export interface ProviderLib {
  /** Signs as the provider does: the headers a delivery carries (id is ignored where the provider signs none). */
  sign(secret: string, body: string, timestamp: number, id: string): Headers | Promise<Headers>;
  /**
   * Verifies with the provider's code. `window: false` skips the library's timestamp window (to
   * build deliberately weakened receivers); returns the signed timestamp where there is one.
   */
  verify(
    secret: string,
    body: string,
    headers: Headers,
    opts: { window: boolean; nowMs?: number },
  ): Verified | Promise<Verified>;
}

const lower = (h: Headers) => Object.fromEntries(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
const safeEq = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
const attempt = (fn: () => unknown): boolean => {
  try {
    fn();
    return true;
  } catch {
    return false;
  }
};

function standardLike(Cls: typeof StandardWebhook | typeof SvixWebhook, prefix: "webhook" | "svix"): ProviderLib {
  return {
    sign(secret, body, timestamp, id) {
      return {
        [`${prefix}-id`]: id,
        [`${prefix}-timestamp`]: String(timestamp),
        [`${prefix}-signature`]: new Cls(secret).sign(id, new Date(timestamp * 1000), body),
      };
    },
    verify(secret, body, headers, { window }) {
      const h = lower(headers);
      const ts = Number(h[`${prefix}-timestamp`]);
      if (window) return { ok: attempt(() => new Cls(secret).verify(body, h)), timestamp: ts };
      // Without the library's window: its own signer, compared against every signature sent.
      const id = h[`${prefix}-id`];
      if (id === undefined || !Number.isFinite(ts)) return { ok: false };
      const expected = new Cls(secret).sign(id, new Date(ts * 1000), body);
      return { ok: (h[`${prefix}-signature`] ?? "").split(" ").some((s) => safeEq(s, expected)), timestamp: ts };
    },
  };
}

export const PROVIDER_LIBS: Record<ProfileScheme, ProviderLib> = {
  stripe: {
    sign: (secret, body, timestamp) => ({
      "Stripe-Signature": stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp }),
    }),
    verify(secret, body, headers, { window }) {
      const header = lower(headers)["stripe-signature"] ?? "";
      const ts = Number(/(?:^|,)t=(\d+)/.exec(header)?.[1]);
      // Tolerance 0 is Stripe's own switch for "no timestamp check".
      return {
        ok: attempt(() => stripe.webhooks.constructEvent(body, header, secret, window ? 300 : 0)),
        timestamp: ts,
      };
    },
  },
  "standard-webhooks": standardLike(StandardWebhook, "webhook"),
  svix: standardLike(SvixWebhook, "svix"),
  slack: {
    sign: (secret, body, timestamp) => ({
      "X-Slack-Request-Timestamp": String(timestamp),
      "X-Slack-Signature": `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`,
    }),
    verify(secret, body, headers, { window, nowMs }) {
      const h = lower(headers);
      const ts = Number(h["x-slack-request-timestamp"]);
      // Bolt always checks staleness; "now" at the request's own timestamp switches that off.
      const now = window ? (nowMs ?? Date.now()) : ts * 1000;
      return {
        ok: attempt(() =>
          verifySlackRequest({
            signingSecret: secret,
            body,
            headers: { "x-slack-signature": h["x-slack-signature"] ?? "", "x-slack-request-timestamp": ts },
            nowMilliseconds: now,
          }),
        ),
        timestamp: ts,
      };
    },
  },
  github: {
    sign: async (secret, body, _t, id) => ({
      "X-GitHub-Delivery": id,
      "X-GitHub-Event": "ping",
      "X-Hub-Signature-256": await octokitSign(secret, body),
    }),
    verify: async (secret, body, headers) => ({
      ok: await octokitVerify(secret, body, lower(headers)["x-hub-signature-256"] ?? "").catch(() => false),
    }),
  },
  shopify: {
    sign: (secret, body, _t, id) => ({
      "X-Shopify-Webhook-Id": id,
      "X-Shopify-Topic": "orders/create",
      "X-Shopify-Hmac-Sha256": createHmac("sha256", secret).update(body, "utf8").digest("base64"),
    }),
    verify(secret, body, headers) {
      const sent = lower(headers)["x-shopify-hmac-sha256"] ?? "";
      return { ok: safeEq(createHmac("sha256", secret).update(body, "utf8").digest("base64"), sent) };
    },
  },
};
