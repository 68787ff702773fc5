/**
 * The one PR comment tollgate owns, through the GitHub REST API: found by a hidden marker and
 * updated in place, created only when there is none. The token goes to GITHUB_API_URL and nowhere
 * else: the URL must be https (http only on loopback, for tests), every request is built from it,
 * and redirects are refused rather than followed with the Authorization header.
 */
export const MARKER = "<!-- tollgate -->";

/** GitHub rejects comment bodies over 65536 characters. */
export const MAX_BODY = 65_000;

export interface CommentTarget {
  apiUrl: string;
  token: string;
  /** owner/name */
  repository: string;
  issue: number;
}

export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** The API base as a URL, or an error for anything the token must not be sent to. */
export function apiBase(apiUrl: string): URL {
  let url: URL;
  try {
    url = new URL(apiUrl);
  } catch {
    throw new GitHubApiError(`GITHUB_API_URL is not a URL: ${JSON.stringify(apiUrl)}`);
  }
  if (url.username || url.password) throw new GitHubApiError("GITHUB_API_URL must not carry credentials");
  if (url.protocol !== "https:" && !(url.protocol === "http:" && LOOPBACK.has(url.hostname)))
    throw new GitHubApiError(`GITHUB_API_URL must be https (got ${url.protocol})`);
  return url;
}

/** The body of tollgate's comment: marker first, the report cut to GitHub's limit. */
export function commentBody(markdown: string, footer = ""): string {
  const tail = footer ? `\n\n${footer}` : "";
  const room = MAX_BODY - MARKER.length - tail.length - 1;
  const cut = "\n\n_(report shortened to fit a comment; the job summary has all of it)_";
  const text = markdown.length > room ? `${markdown.slice(0, room - cut.length)}${cut}` : markdown;
  return `${MARKER}\n${text}${tail}`;
}

async function call(t: CommentTarget, method: string, pathAndQuery: string, body?: unknown): Promise<any> {
  const base = apiBase(t.apiUrl);
  const url = new URL(`${base.pathname.replace(/\/$/, "")}${pathAndQuery}`, base);
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      redirect: "error",
      headers: {
        accept: "application/vnd.github+json",
        authorization: `Bearer ${t.token}`,
        "x-github-api-version": "2022-11-28",
        "user-agent": "tollgate-action",
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (e) {
    throw new GitHubApiError(`${method} ${url.pathname}: ${(e as Error).message}`);
  }
  const text = await res.text();
  if (!res.ok) {
    let message = "";
    try {
      message = String(JSON.parse(text)?.message ?? "");
    } catch {
      /* not JSON */
    }
    throw new GitHubApiError(
      `${method} ${url.pathname}: HTTP ${res.status}${message ? ` ${message.slice(0, 200)}` : ""}`,
      res.status,
    );
  }
  return text ? JSON.parse(text) : undefined;
}

const repoPath = (t: CommentTarget) => {
  const [owner, name, ...rest] = t.repository.split("/");
  if (!owner || !name || rest.length)
    throw new GitHubApiError(`GITHUB_REPOSITORY must be owner/name (got ${JSON.stringify(t.repository)})`);
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
};

interface ListedComment {
  id: number;
  body?: string;
  html_url?: string;
  user?: { type?: string };
  author_association?: string;
}

/** Anyone can post a comment that starts with the marker: only a bot's or a writer's is tollgate's. */
const WRITERS = new Set(["OWNER", "MEMBER", "COLLABORATOR"]);
const isOurs = (c: ListedComment) =>
  typeof c.body === "string" &&
  c.body.startsWith(MARKER) &&
  (c.user?.type === "Bot" || WRITERS.has(c.author_association ?? ""));

/** The id of tollgate's comment (marker, by a bot or a writer), if any (pages of 100, at most 50 pages). */
export async function findComment(t: CommentTarget): Promise<{ id: number; html_url?: string } | undefined> {
  for (let page = 1; page <= 50; page++) {
    const list = (await call(
      t,
      "GET",
      `${repoPath(t)}/issues/${t.issue}/comments?per_page=100&page=${page}`,
    )) as ListedComment[];
    if (!Array.isArray(list)) throw new GitHubApiError("listing comments did not return a list");
    const mine = list.find(isOurs);
    if (mine) return mine;
    if (list.length < 100) return undefined;
  }
  return undefined;
}

/** Updates tollgate's comment, or creates it; returns what was done and the comment's URL. */
export async function upsertComment(
  t: CommentTarget,
  body: string,
): Promise<{ action: "created" | "updated"; url?: string }> {
  const existing = await findComment(t);
  if (existing) {
    const c = await call(t, "PATCH", `${repoPath(t)}/issues/comments/${existing.id}`, { body });
    return { action: "updated", ...(c?.html_url ? { url: c.html_url } : {}) };
  }
  const c = await call(t, "POST", `${repoPath(t)}/issues/${t.issue}/comments`, { body });
  return { action: "created", ...(c?.html_url ? { url: c.html_url } : {}) };
}
