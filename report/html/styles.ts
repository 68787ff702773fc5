/** The report's inline CSS and its one small script (a findings filter); nothing is loaded from anywhere. */

export const CSS = `
:root{--fg:#1a1a1a;--muted:#555;--bg:#fff;--panel:#f6f7f9;--line:#d0d4da;--err:#a4161a;--warn:#7a4f00;--note:#1f4e9c;--ok:#1d6b34;--na:#4a4a4a}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
header.top{background:#1f2a37;color:#fff;padding:14px 24px}
header.top h1{margin:0;font-size:20px}
header.top p{margin:2px 0 0;color:#dfe6ee}
nav.toc{padding:8px 24px;background:var(--panel);border-bottom:1px solid var(--line)}
nav.toc ul{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:16px}
nav.toc a{color:#0b4f9c}
main{padding:8px 24px 40px;max-width:1280px}
h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:15px;margin:16px 0 6px}
code{font:12px/1.3 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;word-break:break-all}
a{color:#0b4f9c}
.muted{color:var(--muted);font-weight:normal}
.empty{color:var(--muted);font-style:italic}
.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}
.score-section{display:flex;gap:24px;align-items:center;margin-top:16px}
.score-section h2{border:0;margin:0 0 4px}
.gauge{position:relative;width:120px;height:120px}
.gauge .track{fill:none;stroke:#e3e6ea;stroke-width:12}
.gauge .fill{fill:none;stroke-width:12;stroke-linecap:round}
.gauge.good .fill{stroke:var(--ok)}.gauge.fair .fill{stroke:#b7791f}.gauge.poor .fill{stroke:var(--err)}
.gauge .pct{position:absolute;inset:0;display:flex;align-items:center;justify-content:center;font-size:26px;font-weight:700}
.delta{font-size:14px;color:var(--muted);font-weight:normal}
.counts .sev-error{color:var(--err)}.counts .sev-warning{color:var(--warn)}.counts .sev-note{color:var(--note)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(290px,1fr));gap:14px}
.scorecard{border:1px solid var(--line);border-radius:8px;padding:10px 14px;background:var(--panel)}
.scorecard h3{margin:2px 0 4px}
.card-score{margin:0 0 6px}
.card-score.good strong{color:var(--ok)}.card-score.fair strong{color:var(--warn)}.card-score.poor strong{color:var(--err)}
.bar{height:6px;background:#e3e6ea;border-radius:3px;overflow:hidden;margin-bottom:8px}
.bar span{display:block;height:100%}.bar .good{background:var(--ok)}.bar .fair{background:#b7791f}.bar .poor{background:var(--err)}
.categories{list-style:none;margin:0;padding:0}
.categories li{padding:3px 0;border-top:1px solid #e6e8ec}
.status{display:inline-block;min-width:44px;text-align:center;font-size:11px;font-weight:700;text-transform:uppercase;border-radius:4px;padding:1px 6px;background:#e8eaed;color:var(--na);border:1px solid #c4c8ce}
.status-pass .status{background:#dff3e5;color:var(--ok);border-color:#9fd3ae}
.status-fail .status{background:#fbe0e0;color:var(--err);border-color:#eba9a9}
.status-na .status{background:#eeeeee;color:var(--na);border-style:dashed}
.status-na a{color:var(--na)}
table{border-collapse:collapse;width:100%;margin:6px 0 10px;font-size:13px}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid #e3e6ea;padding:4px 8px}
th{background:var(--panel);font-weight:600}
.scroll{max-width:100%}
.badge{display:inline-block;font-size:11px;font-weight:700;border-radius:4px;padding:0 6px;border:1px solid currentColor}
.badge.sev-error{color:var(--err)}.badge.sev-warning{color:var(--warn)}.badge.sev-note{color:var(--note)}
.badge.waived{color:var(--muted);font-weight:normal}.badge.new{color:#6a1b9a}
tr.is-waived td{color:var(--muted)}
.loc{white-space:nowrap}
details.rule{border:1px solid var(--line);border-radius:6px;margin:8px 0;padding:4px 10px}
details.rule summary{cursor:pointer;padding:2px 0}
dl.why{display:grid;grid-template-columns:40px 1fr;gap:2px 10px;margin:6px 0}
dl.why dt{font-weight:700;color:var(--muted)}dl.why dd{margin:0}
.changes{border:2px solid #6a1b9a;border-radius:8px;padding:0 14px 8px;margin-top:16px}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:14px;margin:6px 0}
.swatch{display:inline-block;width:14px;height:14px;border-radius:3px;vertical-align:-2px;margin-right:5px;border:1px solid #555}
.fill-error{background:#fbd5d5}.fill-warning{background:#fdecc8}.fill-clean{background:#d3f0dc}
.pen-healthy{border:3px solid #1d6b34}.pen-unhealthy{border:3px solid #a4161a}.pen-skipped{border:3px dashed #6b4f1d}.pen-not-probed{border:2px dotted #555}
figure.graph{margin:8px 0;overflow:auto;border:1px solid var(--line);border-radius:8px;max-height:80vh;background:#fff}
figure.graph svg{display:block;height:auto;max-width:none}
svg.timeline{max-width:900px;display:block;background:var(--panel);border-radius:6px}
.bad{color:var(--err)}
.hidden{display:none}
footer{color:var(--muted);padding:12px 24px;border-top:1px solid var(--line)}
@media print{nav.toc,#filter,label[for=filter]{display:none}details{display:block}}
`;

/** Filters finding rows by text; rules and groups with nothing left are hidden. */
export const SCRIPT = `(function(){
var input=document.getElementById("filter");var count=document.getElementById("filter-count");
if(!input)return;
input.addEventListener("input",function(){
var q=input.value.trim().toLowerCase();var shown=0;
document.querySelectorAll("section.finding-group tr.finding").forEach(function(tr){var hit=!q||tr.textContent.toLowerCase().indexOf(q)>=0;tr.classList.toggle("hidden",!hit);if(hit)shown++;});
document.querySelectorAll("details.rule").forEach(function(d){var any=d.querySelector("tr.finding:not(.hidden)")!==null;d.classList.toggle("hidden",!any);if(q&&any)d.open=true;});
count.textContent=q?shown+" matching findings":"";
});
})();`;
