/**
 * What synth writes for Kubernetes can run as written: every probe CronJob lives past the probe's
 * own deadline and ends before the next run.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeDeadlineMs, schedulePeriodMs } from "../../model/cron.js";
import { NOW, copyReferenceOrg, removeDir, runCli, tempDir } from "../helpers/project.js";
import { editYaml } from "../helpers/yaml-edit.js";

let dir: string;
let org: string;
let out: string;
const config = () => path.join(out, "config");
const docsIn = (file: string) => parseAllDocuments(readFileSync(file, "utf8")).map((d) => d.toJS());

beforeAll(async () => {
  dir = await tempDir("tollgate-deployable-");
  org = await copyReferenceOrg();
  // One schedule whose shortest gap is not its first one, besides staging's */5 and production's every minute.
  await editYaml(path.join(org, "manifests/environments.yaml"), (doc) => {
    doc.setIn(["environments", "nightly"], doc.createNode({ deployed: true, probe: { schedule: "0,10 * * * *" } }));
  });
  out = path.join(dir, "out");
  const r = await runCli(["synth", "--root", org, "--all", "--now", NOW, "--out", out, "--force", "--reason", "test"]);
  expect(r.code, r.stderr).toBe(0);
}, 240_000);
afterAll(async () => Promise.all([dir, org].filter(Boolean).map(removeDir)));

describe("Kubernetes CronJobs follow the schedule's deadline", () => {
  it("every probe CronJob outlives the probe's --deadline and ends before its next run", () => {
    const jobs = readdirSync(config()).flatMap((env) => docsIn(path.join(config(), env, "kubernetes/cronjobs.yaml")).map((d) => ({ env, ...d })));
    const probes = jobs.filter((j) => j.metadata.labels["app.kubernetes.io/component"] === "probe");
    expect(probes.map((j) => j.spec.schedule).sort()).toEqual(["* * * * *", "*/5 * * * *", "0,10 * * * *"].sort());
    for (const j of probes) {
      const limitMs = j.spec.jobTemplate.spec.activeDeadlineSeconds * 1000;
      expect(limitMs, j.metadata.name).toBeGreaterThan(probeDeadlineMs(j.spec.schedule));
      expect(limitMs, j.metadata.name).toBeLessThan(schedulePeriodMs(j.spec.schedule));
    }
    for (const j of jobs) expect(j.spec.jobTemplate.spec.activeDeadlineSeconds * 1000, j.metadata.name).toBeLessThan(schedulePeriodMs(j.spec.schedule));
  });
});
