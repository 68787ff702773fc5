/**
 * The webhook probe's test deliveries, built from the signing profile (the same table the
 * receiver-side verifier in @tollgate/webhooks reads). Each case says what a correct receiver does
 * with it and which control is missing when it does not.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { signedHeaders, type Profile } from "@tollgate/webhooks";

export interface ProbeRequest {
  headers: Record<string, string>;
  body: string;
}

/** reject: must be refused; accept: must be accepted; duplicate: refused, or acknowledged without reprocessing. */
export type Expect = "reject" | "accept" | "duplicate";

export interface ProbeCase {
  name: string;
  expect: Expect;
  /** The control that is missing when the receiver does something else. */
  control: string;
  req: ProbeRequest;
}

interface Draft {
  ts: number;
  id: string;
  nonce: string;
  pretty?: boolean;
  omitId?: boolean;
  secrets?: string[];
}

/** Non-ASCII written as \uXXXX escapes: valid JSON that no JSON.stringify produces. */
const escapeUnicode = (s: string) =>
  s.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

function newId(p: Profile): string {
  const hex = randomBytes(12).toString("hex");
  if (p.scheme === "stripe") return `evt_tollgate${hex}`;
  if (p.scheme === "slack") return `EvTOLLGATE${hex.toUpperCase()}`;
  if (p.scheme === "standard-webhooks" || p.scheme === "svix") return `msg_tollgate${hex}`;
  return randomUUID();
}

/** A wrong secret in the profile's own format (so only the key differs, not the shape). */
function wrongSecret(p: Profile): string {
  return p.secret === "whsec-base64"
    ? `whsec_${randomBytes(24).toString("base64")}`
    : `tollgate-wrong-${randomBytes(16).toString("hex")}`;
}

export interface CaseInput {
  profile: Profile;
  secret: string;
  nowSec: number;
  toleranceSec: number;
  /** Fixed extra headers (probe.headers), sent with every request. */
  extraHeaders: Record<string, string>;
}

/** Builds every case in the order it is sent: refusals, then the first delivery, then what depends on it. */
export function buildCases(c: CaseInput): { before: ProbeCase[]; first: ProbeRequest; after: ProbeCase[] } {
  const p = c.profile;
  const bodyField = p.id && "bodyField" in p.id ? p.id.bodyField : undefined;
  const idHeader = p.id && "header" in p.id ? p.id.header : undefined;
  // The profile's own headers come only from signing: a probe.headers entry spelling one in another
  // case would refill what the unsigned and missing-id cases remove, or pin every delivery to one id.
  const own = new Set(
    [p.signatureHeader, idHeader, p.timestamp && "header" in p.timestamp ? p.timestamp.header : undefined]
      .filter(Boolean)
      .map((h) => h!.toLowerCase()),
  );
  const extra = Object.fromEntries(Object.entries(c.extraHeaders).filter(([k]) => !own.has(k.toLowerCase())));
  const make = (d: Draft): ProbeRequest => {
    const event: Record<string, unknown> = {};
    if (bodyField && !d.omitId) event[bodyField] = d.id;
    Object.assign(event, {
      type: "tollgate.probe",
      tollgate_probe: true,
      nonce: d.nonce,
      data: { note: "Tollgate probe — café ✓" },
    });
    const body = d.pretty ? escapeUnicode(JSON.stringify(event, null, 2)) : JSON.stringify(event);
    const headers = signedHeaders(p, d.secrets ?? [c.secret], {
      body,
      ...(p.timestamp ? { timestamp: d.ts } : {}),
      ...(idHeader ? { id: d.omitId ? "" : d.id } : {}),
    });
    if (idHeader && d.omitId) delete headers[idHeader];
    return { headers: { ...extra, "content-type": "application/json", ...headers }, body };
  };
  const draft = (o: Partial<Draft> = {}): Draft => ({
    ts: c.nowSec,
    id: newId(p),
    nonce: randomBytes(8).toString("hex"),
    ...o,
  });

  const before: ProbeCase[] = [];
  const unsigned = make(draft());
  delete unsigned.headers[p.signatureHeader];
  before.push({
    name: "unsigned",
    expect: "reject",
    control: "signature verification (unsigned request accepted)",
    req: unsigned,
  });
  before.push({
    name: "wrong signature",
    expect: "reject",
    control: "signature verification (wrong signature accepted)",
    req: make(draft({ secrets: [wrongSecret(p)] })),
  });
  const tampered = make(draft());
  before.push({
    name: "tampered body",
    expect: "reject",
    control: "signature verification (tampered body accepted)",
    req: { ...tampered, body: tampered.body.replace(/"nonce":"/, '"nonce":"x') },
  });
  if (p.timestamp) {
    const off = c.toleranceSec + 120;
    before.push({
      name: "stale timestamp",
      expect: "reject",
      control: `timestamp window (request ${off}s old accepted)`,
      req: make(draft({ ts: c.nowSec - off })),
    });
    before.push({
      name: "future timestamp",
      expect: "reject",
      control: `future-timestamp check (request dated ${off}s ahead accepted)`,
      req: make(draft({ ts: c.nowSec + off })),
    });
  }
  if (p.id) {
    const where = bodyField ? `the body's ${bodyField}` : idHeader;
    before.push({
      name: "missing id",
      expect: "reject",
      control: `delivery id required (signed request without ${where} accepted)`,
      req: make(draft({ omitId: true })),
    });
  }

  const firstDraft = draft();
  const first = make(firstDraft);
  const after: ProbeCase[] = [];
  after.push({
    name: "non-canonical body",
    expect: "accept",
    control:
      "verification on the raw body (a validly signed pretty-printed body with \\u escapes was refused: is the JSON re-serialised before verifying?)",
    req: make(draft({ pretty: true })),
  });
  if (p.format.kind === "list" && p.format.separator) {
    after.push({
      name: "two signatures",
      expect: "accept",
      control: "secret rotation (a request carrying an old and a current signature was refused)",
      req: make(draft({ secrets: [wrongSecret(p), c.secret] })),
    });
  }
  // A new delivery of the same event under its own signed id (or, where no id is signed, new signed content).
  const signedIdProfile = !!bodyField || (p.id && "header" in p.id && p.id.signed);
  after.push({
    name: "redelivery with a new id",
    expect: "accept",
    control: "deduplication on the signed id (a new delivery was refused as a duplicate)",
    req: make(signedIdProfile ? { ...firstDraft, id: newId(p) } : draft()),
  });
  after.push({
    name: "same-id replay",
    expect: "duplicate",
    control: "replay protection (same delivery processed twice)",
    req: first,
  });
  if (idHeader && p.id && "signed" in p.id && !p.id.signed) {
    after.push({
      name: "replay under a fresh id",
      expect: "duplicate",
      control: `replay protection on the signed content (replay under a fresh unsigned ${idHeader} processed)`,
      req: { ...first, headers: { ...first.headers, [idHeader]: newId(p) } },
    });
  }
  return { before, first, after };
}
