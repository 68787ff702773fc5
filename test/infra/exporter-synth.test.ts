/**
 * The exporter path of `tollgate synth`: Prometheus configs that probe through `tollgate serve`,
 * split over N shards with hashmod, checked by the real promtool; the shards' target sets computed
 * from the generated relabelling are disjoint and cover every probed service; golden files.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { cp } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { loadProject } from "../../load/loader.js";
import { envContext, type EnvContext } from "../../infra/generate/context.js";
import { exporterScrapeJob, prometheusHashmod } from "../../infra/generate/exporter-prometheus.js";
import { schedulePeriodMs, scrapeTimeoutMs } from "../../infra/generate/exporter-settings.js";
import { NOW, REPO, removeDir, runCli, tempDir } from "../helpers/project.js";
import { expectGolden } from "../helpers/golden.js";
import { requireTool, run } from "../helpers/tools.js";
import { editYaml } from "../helpers/yaml-edit.js";

type Relabel = {
  source_labels?: string[];
  target_label?: string;
  regex?: string;
  replacement?: string;
  modulus?: number;
  action?: string;
  separator?: string;
};

/** Prometheus' relabelling for the actions the generated configs use (replace, hashmod, keep). */
function relabel(labels: Record<string, string>, rules: Relabel[]): Record<string, string> | undefined {
  const out = { ...labels };
  for (const r of rules) {
    const value = (r.source_labels ?? []).map((l) => out[l] ?? "").join(r.separator ?? ";");
    const re = new RegExp(`^(?:${r.regex ?? "(.*)"})$`);
    switch (r.action ?? "replace") {
      case "replace": {
        const m = re.exec(value);
        if (m) out[r.target_label!] = (r.replacement ?? "$1").replace(/\$(\d+)/g, (_, i: string) => m[Number(i)] ?? "");
        break;
      }
      case "hashmod":
        out[r.target_label!] = String(prometheusHashmod(value, r.modulus!));
        break;
      case "keep":
        if (!re.test(value)) return undefined;
        break;
      default:
        throw new Error(`the generated config uses relabel action ${r.action}, which this check does not model`);
    }
  }
  return out;
}

/** The services a scrape job keeps after relabelling, and where it sends each scrape. */
function targetsOf(job: {
  static_configs: { targets: string[] }[];
  relabel_configs: Relabel[];
}): { service: string; address: string; instance: string }[] {
  return job.static_configs
    .flatMap((sc) => sc.targets)
    .flatMap((t) => {
      const l = relabel({ __address__: t }, job.relabel_configs);
      return l ? [{ service: l.__param_service!, address: l.__address__!, instance: l.instance! }] : [];
    });
}

describe("Prometheus' hashmod, as computed here", () => {
  it("gives the values of Prometheus' own relabel tests (md5, low 8 bytes big-endian, mod N)", () => {
    expect(prometheusHashmod("baz", 1000)).toBe(976);
    expect(prometheusHashmod("foo\nbar", 1000)).toBe(734);
  });
});

describe("cron schedule → scrape interval", () => {
  it("takes the schedule's period, with the timeout below it", () => {
    expect(schedulePeriodMs("* * * * *")).toBe(60_000);
    expect(schedulePeriodMs("*/5 * * * *")).toBe(300_000);
    expect(schedulePeriodMs("0,10 * * * *")).toBe(600_000); // the shortest gap counts
    expect(scrapeTimeoutMs(60_000)).toBe(54_000);
    expect(scrapeTimeoutMs(2_000)).toBe(1_800);
  });
});

describe("shards split a large estate: disjoint, complete, roughly even", () => {
  let ctx: EnvContext;
  beforeAll(async () => {
    const { project } = await loadProject(path.join(REPO, "test/fixtures/orgs/local"), { now: NOW });
    const base = envContext(project!.model, "local", "0.0.0-test", { shards: 1 });
    // 10 000 services: the fixture's service, cloned under many names.
    const template = [...project!.model.services.values()][0]!;
    const services = new Map(Array.from({ length: 10_000 }, (_, i) => [`svc-${i}`, template] as const));
    ctx = { ...base, model: { ...base.model, services } as EnvContext["model"] };
  });

  it.each([2, 3, 7, 16])("%i shards", (n) => {
    const all = [...ctx.model.services.keys()];
    const sets = Array.from({ length: n }, (_, index) =>
      targetsOf(exporterScrapeJob(ctx, { ...ctx.exporter!, shards: n }, { index, count: n }) as never),
    );
    const seen = new Map<string, number>();
    sets.forEach((targets, i) => {
      for (const t of targets) {
        expect(seen.has(t.service), `${t.service} on shards ${seen.get(t.service)} and ${i}`).toBe(false);
        seen.set(t.service, i);
        expect(t.address).toBe(ctx.exporter!.address);
        expect(t.instance).toBe(t.service);
      }
    });
    expect([...seen.keys()].sort()).toEqual([...all].sort());
    // Even enough that shard sizing arithmetic holds: every shard within 10% of the mean.
    for (const s of sets) expect(Math.abs(s.length - all.length / n)).toBeLessThan((all.length / n) * 0.1);
  });
});

describe("tollgate synth --shards on the local fixture organization", () => {
  let dir: string;
  let config: string;
  beforeAll(async () => {
    dir = await tempDir("tollgate-shards-");
    const org = path.join(dir, "org");
    await cp(path.join(REPO, "test/fixtures/orgs/local"), org, { recursive: true });
    const r = await runCli([
      "synth",
      "--root",
      org,
      "--env",
      "local",
      "--now",
      NOW,
      "--out",
      path.join(dir, "out"),
      "--shards",
      "2",
    ]);
    expect(r.code, r.stderr).toBe(0);
    config = path.join(dir, "out/config/local");
  }, 120_000);
  afterAll(async () => dir && removeDir(dir));
  const read = (rel: string) => readFileSync(path.join(config, rel), "utf8");

  it("every generated Prometheus config passes the real promtool; a broken one does not", () => {
    const promtool = requireTool("promtool");
    const prom = path.join(config, "prometheus");
    for (const f of ["exporter.yml", "shard-0-of-2.yml", "shard-1-of-2.yml", "prometheus.yml"]) {
      const r = run(promtool, ["check", "config", f], prom);
      expect(r.code, `${f}: ${r.out}`).toBe(0);
    }
    let t = run(promtool, ["check", "rules", "exporter-rules.yml"], prom);
    expect(t.code, t.out).toBe(0);
    t = run(promtool, ["test", "rules", "exporter-rules.test.yml"], prom);
    expect(t.code, t.out).toBe(0);
    expect(t.out).toContain("SUCCESS");
    // Negative control: the same file with a hashmod that has no modulus is refused.
    writeFileSync(path.join(prom, "broken.yml"), read("prometheus/shard-1-of-2.yml").replace(/^\s+modulus: 2\n/m, ""));
    const r = run(promtool, ["check", "config", "broken.yml"], prom);
    expect(r.code, r.out).not.toBe(0);
    expect(r.out).toMatch(/modulus/i);
  });

  it("the shards' targets, computed from the generated relabelling, are disjoint and cover every probed service", () => {
    const jobs = [0, 1].map((i) =>
      (parse(read(`prometheus/shard-${i}-of-2.yml`)).scrape_configs as any[]).find(
        (j) => j.job_name === "tollgate-probe",
      ),
    );
    const sets = jobs.map((j) =>
      targetsOf(j)
        .map((t) => t.service)
        .sort(),
    );
    expect(sets[0]!.filter((s) => sets[1]!.includes(s))).toEqual([]);
    expect([...sets[0]!, ...sets[1]!].sort()).toEqual(["api", "hook", "payments", "rag-mcp"]);
    expect(sets.every((s) => s.length > 0)).toBe(true);
    const unsharded = (parse(read("prometheus/exporter.yml")).scrape_configs as any[]).find(
      (j) => j.job_name === "tollgate-probe",
    );
    expect(
      targetsOf(unsharded)
        .map((t) => t.service)
        .sort(),
    ).toEqual(["api", "hook", "payments", "rag-mcp"]);
  });

  it("each shard has its own external label, the same rules, and only shard 0 scrapes what is not per service", () => {
    const shards = [0, 1].map((i) => parse(read(`prometheus/shard-${i}-of-2.yml`)));
    expect(shards.map((s) => s.global.external_labels)).toEqual([
      { tollgate_env: "local", shard: "0" },
      { tollgate_env: "local", shard: "1" },
    ]);
    expect(shards.map((s) => s.rule_files)).toEqual([
      ["rules.yml", "exporter-rules.yml"],
      ["rules.yml", "exporter-rules.yml"],
    ]);
    expect(shards.map((s) => s.scrape_configs.map((j: any) => j.job_name))).toEqual([
      ["tollgate-probe", "tollgate-exporter", "tollgate-textfile", "tollgate-blackbox"],
      ["tollgate-probe"],
    ]);
    const job = shards[0].scrape_configs[0];
    // The fixture probes every minute: scraped every minute, timing out before the next scrape.
    expect([job.scrape_interval, job.scrape_timeout, job.metrics_path]).toEqual(["1m", "54s", "/probe"]);
  });

  it("Prometheus schedules the probes: the crontab keeps readiness and forecast, not the probe job", () => {
    const crontab = read("cron/crontab");
    expect(crontab).not.toMatch(/ probe --env/);
    expect(crontab).toMatch(
      /^# Probes run in tollgate serve, scheduled by Prometheus .*\n#   TOLLGATE_TEST_HOOK_SECRET$/m,
    );
    expect(crontab).toMatch(/ check --env local/);
    expect(crontab).toMatch(/ forecast --env local/);
    expect(read("kubernetes/cronjobs.yaml")).not.toContain("tollgate-probe-local");
  });

  it("Kubernetes: the exporter's Deployment and Service follow the CronJobs' conventions", () => {
    const [deployment, service] = parseAllDocuments(read("kubernetes/exporter.yaml")).map((d) => d.toJS());
    expect(deployment.kind).toBe("Deployment");
    expect(service.kind).toBe("Service");
    const pod = deployment.spec.template.spec;
    const c = pod.containers[0];
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532 });
    expect(c.args).toEqual(["serve", "--env", "local", "--listen", "0.0.0.0:9469"]);
    expect(c.resources.limits).toEqual({ cpu: "2", memory: "512Mi" });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/-/ready", port: "http" });
    expect(c.livenessProbe.httpGet).toEqual({ path: "/-/healthy", port: "http" });
    expect(c.env.length).toBeGreaterThan(0);
    for (const e of c.env) expect(Object.keys(e).sort(), JSON.stringify(e)).toEqual(["name", "valueFrom"]);
    for (const e of c.env) expect(Object.keys(e.valueFrom)).toEqual(["secretKeyRef"]);
    expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(service.spec.ports[0]).toMatchObject({ port: 9469, targetPort: "http" });
  });

  it("new output matches its golden files", () => {
    for (const f of [
      "prometheus/exporter-rules.yml",
      "prometheus/exporter.yml",
      "prometheus/shard-0-of-2.yml",
      "prometheus/shard-1-of-2.yml",
      "kubernetes/exporter.yaml",
    ]) {
      expectGolden(read(f), `exporter-local/${f.replace("/", "-")}`);
    }
  });
});

describe("synth --shards input errors", () => {
  it.each(["0", "abc", "1.5", "257"])("--shards %s is a usage error (exit 2)", async (v) => {
    const dir = await tempDir("tollgate-shards-bad-");
    try {
      const r = await runCli([
        "synth",
        "--root",
        path.join(REPO, "test/fixtures/orgs/local"),
        "--env",
        "local",
        "--now",
        NOW,
        "--out",
        path.join(dir, "out"),
        "--shards",
        v,
      ]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("--shards must be a whole number from 1 to 256");
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await removeDir(dir);
    }
  });

  it("probe.shards in the manifest also writes the shard configs, and an environment without the exporter keeps its probe job", async () => {
    const dir = await tempDir("tollgate-shards-manifest-");
    try {
      const org = path.join(dir, "org");
      await cp(path.join(REPO, "test/fixtures/orgs/local"), org, { recursive: true });
      await editYaml(path.join(org, "manifests/environments.yaml"), (doc) =>
        doc.setIn(["environments", "local", "probe", "shards"], 3),
      );
      const r = await runCli(["synth", "--root", org, "--env", "local", "--now", NOW, "--out", path.join(dir, "out")]);
      expect(r.code, r.stderr).toBe(0);
      const prom = path.join(dir, "out/config/local/prometheus");
      for (const i of [0, 1, 2])
        expect(parse(readFileSync(path.join(prom, `shard-${i}-of-3.yml`), "utf8")).global.external_labels.shard).toBe(
          String(i),
        );
      // Without probe.exporter/shards: the cron path as before.
      const plain = await runCli([
        "synth",
        "--root",
        path.join(REPO, "test/fixtures/orgs/local"),
        "--env",
        "local",
        "--now",
        NOW,
        "--out",
        path.join(dir, "plain"),
      ]);
      expect(plain.code, plain.stderr).toBe(0);
      expect(readFileSync(path.join(dir, "plain/config/local/cron/crontab"), "utf8")).toMatch(
        / probe --env local --format prometheus/,
      );
      expect(() => readFileSync(path.join(dir, "plain/config/local/prometheus/exporter.yml"))).toThrow();
    } finally {
      await removeDir(dir);
    }
  }, 120_000);
});
