/** The fleet report page's style sheet: inlined, and allowed by its hash in the page's CSP. */
export const PAGE_STYLE = `
:root{--bg:#fff;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;--head:#f6f8fa;--link:#0969da;--bad:#cf222e;--warn:#bf8700;--good:#1a7f37;
--series-1:#0969da;--series-2:#8250df;--series-3:#1a7f37;--series-4:#bf8700;--series-5:#cf222e;--series-6:#57606a;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;--head:#151b23;--link:#4493f8;--bad:#f85149;--warn:#d29922;--good:#3fb950;
--series-1:#4493f8;--series-2:#ab7df8;--series-3:#3fb950;--series-4:#d29922;--series-5:#f85149;--series-6:#9198a1}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
header,main{max-width:1200px;margin:0 auto;padding:0 16px}
h1{font-size:1.5rem;margin:16px 0 4px;overflow-wrap:anywhere}
h2{font-size:1.15rem;margin:24px 0 8px}
header p{color:var(--muted);margin:0 0 8px}
a{color:var(--link)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:16px}
.chart{margin:0;border:1px solid var(--line);border-radius:6px;padding:12px}
.chart figcaption{font-weight:600;margin-bottom:8px}
.canvas{position:relative;height:260px}
.canvas.tall{height:320px}
.filter{margin:0 0 8px;display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.filter input{font:inherit;padding:4px 8px;min-width:16em;max-width:100%;background:var(--bg);color:var(--fg);border:1px solid var(--line);border-radius:6px}
.filter output{color:var(--muted)}
.scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
thead th{background:var(--head);white-space:nowrap}
tbody th{font-weight:600;overflow-wrap:anywhere}
th button{font:inherit;font-weight:600;color:inherit;background:none;border:0;padding:0;cursor:pointer}
th[aria-sort=ascending] button::after{content:" \\25B2"}
th[aria-sort=descending] button::after{content:" \\25BC"}
.waiver{display:inline-block;white-space:nowrap}
.waiver.soon{color:var(--warn);font-weight:600}
@media (max-width:600px){body{font-size:14px}th,td{padding:4px 6px}.canvas{height:220px}}
`;
