/**
 * Every Kubernetes object synth writes is read by the Kubernetes API's own OpenAPI schema (the
 * `kubernetes-models` validators, generated from it): the CronJobs of the cron path for the
 * reference org's environments, and the exporter's Deployment and Service (--shards 2).
 */
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";

const LOCAL_ORG = path.join(REPO, "test/fixtures/orgs/local");
let dir = "";
const objects: { file: string; doc: { apiVersion: string; kind: string; metadata?: { name?: string } } }[] = [];

function kubernetesFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = path.join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.includes(`${path.sep}kubernetes${path.sep}`) && /\.ya?ml$/.test(n)) out.push(p);
    }
  };
  walk(root);
  return out.sort();
}

beforeAll(async () => {
  dir = await tempDir("tollgate-k8s-");
  const runs = [
    [
      "synth",
      "--root",
      REPO,
      "--now",
      NOW,
      "--all",
      "--force",
      "--reason",
      "schema test",
      "--out",
      path.join(dir, "reference"),
    ],
    [
      "synth",
      "--root",
      LOCAL_ORG,
      "--now",
      NOW,
      "--env",
      "local",
      "--shards",
      "2",
      "--out",
      path.join(dir, "exporter"),
    ],
  ];
  for (const args of runs) {
    const r = await runCli(args);
    expect(r.code, r.stderr).toBe(0);
  }
  for (const file of kubernetesFiles(dir))
    for (const d of parseAllDocuments(readFileSync(file, "utf8")))
      if (d.contents) objects.push({ file: path.relative(dir, file), doc: d.toJS() });
}, 300_000);
afterAll(() => removeDir(dir));

describe("synthesized Kubernetes objects against the Kubernetes OpenAPI schema", () => {
  it("found the objects of both paths", () => {
    const kinds = new Set(objects.map((o) => o.doc.kind));
    expect([...kinds].sort()).toEqual(expect.arrayContaining(["CronJob", "Deployment", "Service"]));
  });

  it("every object validates", async () => {
    const errors: string[] = [];
    for (const { file, doc } of objects) {
      const [group, version] = doc.apiVersion.includes("/") ? doc.apiVersion.split("/") : [undefined, doc.apiVersion];
      const mod = (await import(`kubernetes-models/${group ? `${group}/` : ""}${version}/${doc.kind}`)) as Record<
        string,
        new (
          o: unknown,
        ) => { validate(): void }
      >;
      try {
        new mod[doc.kind]!(doc).validate();
      } catch (e) {
        errors.push(`${file} ${doc.kind}/${doc.metadata?.name}: ${(e as Error).message}`);
      }
    }
    expect(errors).toEqual([]);
  });

  it("the validator refuses what Kubernetes refuses (a CronJob without a jobTemplate)", async () => {
    const { CronJob } = await import("kubernetes-models/batch/v1/CronJob");
    const cron = objects.find((o) => o.doc.kind === "CronJob")!.doc as unknown as { spec: Record<string, unknown> };
    const broken = { ...cron, spec: { ...cron.spec, jobTemplate: undefined } };
    expect(() => new CronJob(broken as never).validate()).toThrow(/jobTemplate/);
  });
});
