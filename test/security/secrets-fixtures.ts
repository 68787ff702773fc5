/**
 * Credentials in every format issue #10 names, assembled at run time from a seeded generator, so
 * no token-shaped literal is committed (secret scanners on this repository stay quiet).
 */
import { pick as gen } from "../helpers/tokens.js";

const UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ALNUM = `abcdefghijklmnopqrstuvwxyz${UPPER}0123456789`;
const HEX = "0123456789abcdef";
const URLSAFE = `${ALNUM}_-`;
const j = (...parts: string[]) => parts.join("");
const MARK = j("T3Blbk", "FJ");

/** One value per format; the name says which detector must find it. */
export function secretFixtures(seed = 101) {
  return {
    awsAccessKeyId: j("AK", "IA", gen(seed, `${UPPER}234567`, 16)),
    // Ends in "/": secretlint's own aws rule misses this one.
    awsSecretAccessKey: j(gen(seed + 1, ALNUM, 12), "/", gen(seed + 2, ALNUM, 12), "+", gen(seed + 3, ALNUM, 13), "/"),
    openaiLegacy: j("s", "k-", gen(seed + 4, ALNUM, 20), MARK, gen(seed + 5, ALNUM, 20)),
    openaiLegacyNoMarker: j("s", "k-", gen(seed + 6, ALNUM, 48)),
    openaiProject: j("s", "k-", "proj-", gen(seed + 7, URLSAFE, 74), MARK, gen(seed + 8, URLSAFE, 74)),
    openaiProjectNoMarker: j("s", "k-", "proj-", gen(seed + 9, URLSAFE, 120)),
    openaiServiceAccount: j("s", "k-", "svcacct-", gen(seed + 10, URLSAFE, 58), MARK, gen(seed + 11, URLSAFE, 58)),
    anthropic: j("s", "k-", "ant-", "api03-", gen(seed + 12, URLSAFE, 93), "AA"),
    github: j("gh", "p_", gen(seed + 13, ALNUM, 36)),
    slack: j(
      "xo",
      "xb-",
      gen(seed + 14, "0123456789", 12),
      "-",
      gen(seed + 15, "0123456789", 13),
      "-",
      gen(seed + 16, ALNUM, 24),
    ),
    shopify: j("shp", "at_", gen(seed + 17, HEX, 32)),
    npm: j("np", "m_", gen(seed + 18, ALNUM, 36)),
    stripe: j("sk", "_live_", gen(seed + 19, ALNUM, 24)),
    gcpApiKey: j("AI", "za", gen(seed + 20, URLSAFE, 35)),
    basicAuthUrl: j("https://", "deploy", ":", gen(seed + 21, ALNUM, 16), "@", "registry.internal.net/v2"),
    telegramBotUrl: j(
      "https://api.telegram.org/",
      "bot",
      gen(seed + 22, "123456789", 10),
      ":",
      "AA",
      gen(seed + 23, URLSAFE, 33),
      "/sendMessage",
    ),
    telegramBotToken: j(gen(seed + 24, "123456789", 9), ":", "AA", gen(seed + 25, URLSAFE, 33)),
    discordWebhookUrl: j(
      "https://discord.com/api/",
      "webhooks/",
      gen(seed + 26, "0123456789", 19),
      "/",
      gen(seed + 27, URLSAFE, 68),
    ),
    discordappWebhookUrl: j(
      "https://discordapp.com/api/v10/",
      "webhooks/",
      gen(seed + 28, "0123456789", 18),
      "/",
      gen(seed + 29, URLSAFE, 68),
    ),
    // Base64-wrapped: a GitHub token and an OpenAI key behind "Bearer ", encoded as pasted from a header dump.
    base64GithubToken: Buffer.from(j("gh", "p_", gen(seed + 30, ALNUM, 36))).toString("base64"),
    base64BearerOpenai: Buffer.from(
      j("Authorization: Bearer ", "s", "k-", "proj-", gen(seed + 31, URLSAFE, 120)),
    ).toString("base64"),
  };
}

export function pemBlock(seed = 211): string {
  const body = j("MIIEpAIBAAKCAQEA", gen(seed, `${ALNUM}+/`, 300)).match(/.{1,64}/g)!;
  return [j("-----BEGIN RSA ", "PRIVATE", " KEY-----"), ...body, j("-----END RSA ", "PRIVATE", " KEY-----")].join("\n");
}
