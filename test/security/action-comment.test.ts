/**
 * The Action's PR comment is found by a hidden marker, but anyone may post a comment that starts
 * with the marker. Such a comment must not be taken for tollgate's: updating it would put the
 * report under the attacker's name (who could later edit it to show a pass), and when the token
 * may not edit it the real report would never be posted. Only a bot's comment, or one by someone
 * with write access (owner, member, collaborator), is tollgate's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findComment, MARKER } from "../../cli/github-action/api.js";
import { startHttp, type Running } from "../helpers/servers.js";

let api: Running;
let listed: unknown[] = [];

beforeAll(async () => {
  api = await startHttp((req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(new URL(req.url!, "http://x").searchParams.get("page") === "1" ? listed : []));
  });
});
afterAll(async () => api.close());

const target = () => ({ apiUrl: api.url, token: "t", repository: "acme/estate", issue: 7 });
const attacker = {
  id: 1,
  body: `${MARKER}\n## Tollgate readiness: pass`,
  user: { login: "mallory", type: "User" },
  author_association: "NONE",
};
const contributor = {
  id: 2,
  body: `${MARKER}\nfake`,
  user: { login: "eve", type: "User" },
  author_association: "FIRST_TIME_CONTRIBUTOR",
};
const bot = {
  id: 3,
  body: `${MARKER}\n## Tollgate readiness`,
  user: { login: "github-actions[bot]", type: "Bot" },
  author_association: "NONE",
};
const maintainer = {
  id: 4,
  body: `${MARKER}\n## Tollgate readiness`,
  user: { login: "ops", type: "User" },
  author_association: "MEMBER",
};

describe("the Action's comment lookup", () => {
  it("skips marker comments by outsiders and finds the bot's own comment after them", async () => {
    listed = [attacker, contributor, bot];
    expect((await findComment(target()))?.id).toBe(3);
  });

  it("finds nothing (so it creates its own comment) when only outsiders used the marker", async () => {
    listed = [attacker, contributor];
    expect(await findComment(target())).toBeUndefined();
  });

  it("still finds a comment posted with a maintainer's token", async () => {
    listed = [attacker, maintainer];
    expect((await findComment(target()))?.id).toBe(4);
  });
});
