/** tollgate forecast: what becomes due or overdue, and which waivers expire, in date order. */
import { describe, expect, it } from "vitest";
import { NOW, runCli } from "../helpers/project.js";

describe("tollgate forecast", () => {
  it("lists rotations entering their window, going overdue, and waivers expiring, in date order", async () => {
    const r = await runCli(["forecast", "--now", NOW, "--days", "70", "--format", "json"]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ now: NOW, days: 70, overdueNow: 0 });
    const dates = out.items.map((i: any) => i.date);
    expect(dates).toEqual([...dates].sort());
    expect(dates.every((d: string) => d > NOW && d <= "2027-02-02")).toBe(true);
    // OPENAI_API_KEY: rotated 2026-09-01 every 90 days → due 2026-11-30, overdue from 2026-12-01.
    expect(out.items).toContainEqual({
      date: "2026-12-01",
      kind: "rotation-overdue",
      subject: "secret/OPENAI_API_KEY@staging",
      message: "becomes overdue (was due 2026-11-30, every 90 days)",
    });
    // SHOPIFY_ADMIN_ACCESS_TOKEN: due 2026-12-09 → enters the 14-day window on 2026-11-25.
    expect(out.items).toContainEqual(
      expect.objectContaining({
        date: "2026-11-25",
        kind: "rotation-due",
        subject: "secret/SHOPIFY_ADMIN_ACCESS_TOKEN@staging",
      }),
    );
    // The bundled waiver expires 2027-01-31.
    expect(out.items).toContainEqual(
      expect.objectContaining({
        date: "2027-01-31",
        kind: "waiver-expires",
        subject: "waiver/client-no-metrics:api/google-analytics",
      }),
    );
  });

  it("a shorter window lists fewer items, and already-overdue rotations are counted", async () => {
    const short = JSON.parse((await runCli(["forecast", "--now", NOW, "--days", "7", "--format", "json"])).stdout);
    expect(short.items.map((i: any) => i.subject)).toEqual([
      "secret/SHOPIFY_ADMIN_ACCESS_TOKEN@staging",
      "secret/OPENAI_API_KEY@staging",
    ]);
    const later = JSON.parse(
      (await runCli(["forecast", "--now", "2026-12-15", "--days", "7", "--format", "json"])).stdout,
    );
    expect(later.overdueNow).toBe(3);
  });

  it("prometheus format: the rotation and cost gauges the synthesized alert rules read", async () => {
    const r = await runCli(["forecast", "--now", NOW, "--env", "staging", "--format", "prometheus"]);
    expect(r.stdout).toContain(
      'tollgate_secret_rotation_due_days{env="staging",secret="OPENAI_API_KEY",service="openai"} 6',
    );
    expect(r.stdout).toContain('tollgate_api_projected_monthly_cost_usd{env="staging",service="openai"} 600');
    expect(r.stdout).toContain('tollgate_api_monthly_budget_usd{env="staging",service="openai"} 750');
    expect(r.stdout).not.toContain('env="production"');
  });

  it("text output and usage errors", async () => {
    const r = await runCli(["forecast", "--now", NOW, "--days", "7"]);
    expect(r.stdout).toMatch(
      /^ {2}2026-11-25 {2}due {6}secret\/SHOPIFY_ADMIN_ACCESS_TOKEN@staging: enters its 14-day rotation window \(due 2026-12-09\)$/m,
    );
    expect((await runCli(["forecast", "--days", "0"])).code).toBe(2);
    expect((await runCli(["forecast", "--env", "qa"])).code).toBe(2);
  });
});
