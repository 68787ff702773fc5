/**
 * Hostile corpus, probe secrets: a real loopback server reflects the Authorization value in the
 * forms a careless or hostile server would (as sent, without `Bearer `, JSON-escaped, URL-encoded,
 * base64, decoded basic-auth credentials). None of it reaches probe text or json output, the
 * --state file, or `tollgate mcp-tools` output.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildModel } from "../../model/build.js";
import { probeRedactor, redactError } from "../../checks/probe/redact.js";
import { freshState, saveState } from "../../checks/probe/state.js";
import { removeDir, runCli, tempDir, writeProject } from "../helpers/project.js";
import { startHttp, type Running } from "../helpers/servers.js";

const closers: (() => Promise<void>)[] = [];
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await Promise.all(dirs.map(removeDir));
});

// Built at run time; includes characters that JSON, URL and base64 encode differently.
const TOKEN = ["tk", "Qz9/", "r+W2", '"x', "Lm7=", "Pv3s", "Yh8k"].join("");
const USER = "deploy";
const PASS = ["pw", "N4q", "Z7t", "K2m"].join("-");
const BASIC = `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}`;

function reflect(form: string, header: string): string {
  const bare = header.replace(/^\S+\s+/, "");
  switch (form) {
    case "raw":
      return header;
    case "bare":
      return bare;
    case "url":
      return `token=${encodeURIComponent(bare)}`;
    case "base64":
      return Buffer.from(bare).toString("base64");
    case "basic-decoded":
      return Buffer.from(bare, "base64").toString("utf8");
    case "basic-password":
      return Buffer.from(bare, "base64").toString("utf8").split(":")[1] ?? "";
    default:
      return "";
  }
}

/** Every form the secret may not appear in. */
function forms(value: string): string[] {
  const bare = value.replace(/^\S+\s+/, "");
  const out = [
    value,
    bare,
    JSON.stringify(bare).slice(1, -1),
    encodeURIComponent(bare),
    Buffer.from(bare).toString("base64"),
  ];
  if (value.startsWith("Basic ")) {
    const decoded = Buffer.from(bare, "base64").toString("utf8");
    out.push(decoded, decoded.split(":")[1]!);
  }
  return out;
}

describe("probe output never shows a configured header value", () => {
  let server: Running;
  let root: string;
  const FORMS = ["raw", "bare", "url", "base64"];
  beforeAll(async () => {
    server = await startHttp((req, res) => {
      const u = new URL(req.url!, "http://x");
      if (u.pathname === "/mcp") {
        // A 2025-era server that refuses the handshake with a JSON-RPC error quoting the credential
        // (the client shows a server's error message; that is where a reflected value reaches output).
        let body = "";
        req.on("data", (c) => (body += c));
        req.on("end", () => {
          let msg: { id?: unknown; method?: string } = {};
          try {
            msg = JSON.parse(body);
          } catch {
            /* not JSON */
          }
          res.setHeader("content-type", "application/json");
          if (msg.method === "server/discover") {
            res.statusCode = 400;
            res.end(
              JSON.stringify({
                jsonrpc: "2.0",
                id: msg.id ?? null,
                error: { code: -32601, message: "Method not found" },
              }),
            );
            return;
          }
          res.end(
            JSON.stringify({
              jsonrpc: "2.0",
              id: msg.id ?? null,
              error: {
                code: -32603,
                message: `denied for ${reflect("bare", String(req.headers.authorization ?? ""))}`,
              },
            }),
          );
        });
        return;
      }
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({ auth: reflect(u.searchParams.get("form") ?? "", String(req.headers.authorization ?? "")) }),
      );
    });
    closers.push(server.close);
    const svc = (form: string, envVar: string) => ({
      kind: "http-api",
      owner: "t",
      tier: "high",
      endpoints: { local: { url: `${server.url}/reflect?form=${form}` } },
      healthCheck: {
        timeout: "2s",
        retries: 1,
        headers: { Authorization: { fromEnv: envVar } },
        expect: { json: [{ path: "auth", equals: "never" }] },
      },
    });
    const services: Record<string, unknown> = Object.fromEntries(
      FORMS.map((f) => [`reflect-${f}`, svc(f, "TG_SEC_BEARER")]),
    );
    services["basic-decoded"] = svc("basic-decoded", "TG_SEC_BASIC");
    services["basic-password"] = svc("basic-password", "TG_SEC_BASIC");
    services.rag = {
      kind: "mcp",
      owner: "t",
      tier: "high",
      endpoints: { local: { url: `${server.url}/mcp` } },
      healthCheck: {
        timeout: "2s",
        retries: 1,
        headers: { Authorization: { fromEnv: "TG_SEC_BEARER" } },
        mcp: { transport: "streamable-http", requiredTools: ["q"] },
      },
    };
    root = await writeProject({
      "manifests/org.yaml": stringify({ environments: { local: { deployed: true } }, services }),
    });
    dirs.push(root);
  });
  const env = { TG_SEC_BEARER: `Bearer ${TOKEN}`, TG_SEC_BASIC: BASIC };

  it("json and text output, and the --state file", async () => {
    const state = path.join(root, "state.json");
    const json = await runCli(["probe", "--root", root, "--env", "local", "--format", "json", "--state", state], {
      env,
    });
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout);
    const details = parsed.results.map((r: { service: string; detail: string }) => `${r.service}: ${r.detail}`);
    // Every reflecting service failed at the body stage, with the value redacted where it was.
    expect(details.filter((d: string) => d.includes("[REDACTED]")).length, details.join("\n")).toBeGreaterThanOrEqual(
      FORMS.length + 2,
    );
    const text = await runCli(["probe", "--root", root, "--env", "local", "--state", state], { env });
    expect(text.code).toBe(1);
    const all = json.stdout + json.stderr + text.stdout + text.stderr + (await readFile(state, "utf8"));
    for (const f of [...forms(env.TG_SEC_BEARER), ...forms(BASIC)])
      expect(all.includes(f), `leaked form ${JSON.stringify(f.slice(0, 4))}…`).toBe(false);
  });

  it("tollgate mcp-tools: an error that reflects the header is redacted", async () => {
    const r = await runCli(["mcp-tools", "--root", root, "--env", "local"], { env });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("could not list tools");
    expect(r.stdout).toContain("[REDACTED]");
    for (const f of forms(env.TG_SEC_BEARER))
      expect((r.stdout + r.stderr).includes(f), `leaked form ${JSON.stringify(f.slice(0, 4))}…`).toBe(false);
  });
});

describe("the run's redactor at the file and error boundaries", () => {
  const model = buildModel({
    environments: { local: { deployed: true } },
    services: {
      api: {
        kind: "http-api",
        owner: "t",
        tier: "high",
        endpoints: { local: { url: "http://127.0.0.1:9/" } },
        healthCheck: { headers: { Authorization: { fromEnv: "TG_SEC_B" } } },
      },
    },
  } as any);
  const redactor = probeRedactor(model, { TG_SEC_B: `Basic ${Buffer.from(`${USER}:${PASS}`).toString("base64")}` });

  it("the --state file is written through it", async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const state = freshState("local", 5);
    state.services.api = [
      {
        at: "2026-11-24T00:00:00Z",
        ok: false,
        latencyMs: 1,
        stage: `body ${encodeURIComponent(PASS)} ${USER}:${PASS}`,
      },
    ];
    await saveState(path.join(dir, "s.json"), state, redactor);
    const text = await readFile(path.join(dir, "s.json"), "utf8");
    expect(text).toContain("[REDACTED]");
    for (const f of forms(BASIC)) expect(text.includes(f)).toBe(false);
  });

  it("error messages are redacted before any handler prints them", () => {
    const e = redactError(new Error(`cannot write /tmp/${PASS}/out: EACCES`), redactor) as Error;
    expect(e.message).toBe("cannot write /tmp/[REDACTED]/out: EACCES");
    expect(e.stack).not.toContain(PASS);
  });
});
