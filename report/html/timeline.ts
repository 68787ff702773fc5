/** The rotation forecast as a timeline: an inline SVG axis of the coming days plus the same items as a table. */
import { daysBetween } from "../../model/dates.js";
import type { ForecastItem } from "../../policies/forecast.js";
import { html, type Html } from "./escape.js";

export interface ForecastData {
  days: number;
  windowDays: number;
  overdueNow: number;
  items: ForecastItem[];
}

const KIND = {
  "rotation-due": { label: "enters rotation window", color: "#8a5a00", mark: "◆" },
  "rotation-overdue": { label: "becomes overdue", color: "#a4161a", mark: "▲" },
  "waiver-expires": { label: "waiver expires", color: "#1f4e9c", mark: "●" },
} as const;

const W = 900,
  LEFT = 20,
  RIGHT = 20,
  ROW = 14,
  TOP = 24;

export function timeline(now: string, data: ForecastData): Html {
  const intro = html`<p>What changes in the ${data.days} days after ${now}: rotations entering their ${data.windowDays}-day window or going overdue, and waivers expiring.${data.overdueNow ? html` <strong class="bad">${data.overdueNow} rotation${data.overdueNow === 1 ? " is" : "s are"} already overdue.</strong>` : ""}</p>`;
  if (data.items.length === 0)
    return html`${intro}<p class="empty" data-testid="forecast-empty">Nothing becomes due, overdue or expires in this window.</p>`;
  const x = (date: string) =>
    LEFT + ((W - LEFT - RIGHT) * Math.min(data.days, Math.max(0, daysBetween(now, date)))) / data.days;
  // Items on the same day stack upwards so none hides another.
  const stack = new Map<string, number>();
  const marks = data.items.map((item, i) => {
    const level = stack.get(item.date) ?? 0;
    stack.set(item.date, level + 1);
    return { item, i, level, x: x(item.date) };
  });
  const levels = Math.max(...marks.map((m) => m.level)) + 1;
  const axisY = TOP + levels * ROW + 6;
  const height = axisY + 30;
  const ticks: Html[] = [];
  const step = data.days <= 31 ? 7 : data.days <= 120 ? 14 : 30;
  for (let d = 0; d <= data.days; d += step) {
    const tx = LEFT + ((W - LEFT - RIGHT) * d) / data.days;
    ticks.push(
      html`<line x1="${tx.toFixed(1)}" y1="${axisY}" x2="${tx.toFixed(1)}" y2="${axisY + 5}" stroke="#444"/><text x="${tx.toFixed(1)}" y="${axisY + 18}" text-anchor="middle" font-size="11" fill="#222">+${d}d</text>`,
    );
  }
  const svg = html`<svg class="timeline" viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-labelledby="forecast-svg-title" data-testid="forecast-timeline">
<title id="forecast-svg-title">Timeline of ${data.items.length} forecast items from ${now} over ${data.days} days</title>
<line x1="${LEFT}" y1="${axisY}" x2="${W - RIGHT}" y2="${axisY}" stroke="#444" stroke-width="1.5"/>${ticks}
${marks.map((m) => html`<g class="tl-item kind-${m.item.kind}"><title>${m.item.date} ${KIND[m.item.kind].label}: ${m.item.subject}</title><line x1="${m.x.toFixed(1)}" y1="${TOP + m.level * ROW}" x2="${m.x.toFixed(1)}" y2="${axisY}" stroke="${KIND[m.item.kind].color}" stroke-opacity="0.35"/><circle cx="${m.x.toFixed(1)}" cy="${TOP + m.level * ROW}" r="5" fill="${KIND[m.item.kind].color}"/></g>`)}
</svg>`;
  const legend = html`<ul class="legend">${Object.entries(KIND).map(([k, v]) => html`<li><span class="swatch" style="background:${v.color}"></span>${v.label} <span class="sr-only">(${k})</span></li>`)}</ul>`;
  const rows = data.items.map(
    (i) =>
      html`<tr class="kind-${i.kind}"><td>${i.date}</td><td>+${daysBetween(now, i.date)}d</td><td><span class="kind" style="color:${KIND[i.kind].color}">${KIND[i.kind].mark} ${KIND[i.kind].label}</span></td><td><code>${i.subject}</code></td><td>${i.message}</td></tr>`,
  );
  return html`${intro}${svg}${legend}<table class="forecast"><caption class="sr-only">Forecast items in date order</caption><thead><tr><th scope="col">date</th><th scope="col">in</th><th scope="col">event</th><th scope="col">subject</th><th scope="col">detail</th></tr></thead><tbody>${rows}</tbody></table>`;
}
