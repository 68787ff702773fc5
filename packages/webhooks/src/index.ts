/** @tollgate/webhooks: verify webhook deliveries as the Tollgate manifest declares them. */
export {
  PROFILES,
  PROFILE_SCHEMES,
  profileFor,
  type Profile,
  type ProfileScheme,
  type SignatureFormat,
  type SignatureDeclaration,
  type WebhookDeclaration,
} from "./profiles.js";
export {
  secretKey,
  secretProblem,
  signedContent,
  rawSignature,
  signatureHeaderValue,
  signedHeaders,
  parseSignatureHeader,
  signatureMatches,
  type Signable,
  type ParsedSignature,
} from "./signing.js";
export {
  createVerifier,
  REASON_STATUS,
  type Verifier,
  type VerifierOptions,
  type Verdict,
  type Delivery,
  type Reason,
} from "./verifier.js";
export { memoryStore, redisStore, type Store, type RedisLike } from "./store.js";
export {
  nodeListener,
  expressMiddleware,
  fastifyRoute,
  handleDelivery,
  REPLAYED_HEADER,
  type Event,
  type Handler,
} from "./adapters.js";
export { durationMs } from "./duration.js";
