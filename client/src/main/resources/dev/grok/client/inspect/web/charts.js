// Two small charts drawn as SVG from the exchanges in the page: latency (p50 and max) and requests, per 10 s bucket
// over the last 5 minutes.
const BUCKET_MS = 10_000;
const BUCKETS = 30;
const NS = "http://www.w3.org/2000/svg";

function node(tag, attrs) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function buckets(exchanges) {
  const end = Math.ceil(Date.now() / BUCKET_MS) * BUCKET_MS;
  const out = Array.from({ length: BUCKETS }, () => []);
  for (const x of exchanges) {
    if (x.state === "pending") continue;
    const i = BUCKETS - 1 - Math.floor((end - 1 - Date.parse(x.started_at)) / BUCKET_MS);
    if (i >= 0 && i < BUCKETS) out[i].push(x.duration_ms);
  }
  return out;
}

function frame(svg, maxLabel) {
  const w = svg.clientWidth || 400, h = svg.clientHeight || 90;
  svg.setAttribute("viewBox", `0 0 ${w} ${h}`);
  svg.replaceChildren(node("line", { class: "axis", x1: 0, y1: h - 12, x2: w, y2: h - 12 }));
  const label = node("text", { x: 2, y: 9 });
  label.textContent = maxLabel;
  const left = node("text", { x: 2, y: h - 1 });
  left.textContent = "-5 min";
  const right = node("text", { x: w - 20, y: h - 1 });
  right.textContent = "now";
  svg.append(label, left, right);
  return { w, h: h - 14 };
}

export function drawCharts(latencySvg, throughputSvg, exchanges) {
  const data = buckets(exchanges);
  const p50 = data.map((d) => { const s = [...d].sort((a, b) => a - b); return s.length ? s[Math.floor((s.length - 1) / 2)] : null; });
  const max = data.map((d) => (d.length ? Math.max(...d) : null));
  const top = Math.max(1, ...max.filter((v) => v !== null));
  const l = frame(latencySvg, `${top.toFixed(1)} ms`);
  const step = l.w / (BUCKETS - 1);
  const path = (values) => values.map((v, i) => (v === null ? null : `${i * step},${l.h - (v / top) * (l.h - 10) + 2}`))
    .filter(Boolean).map((p, i) => (i ? "L" : "M") + p).join(" ");
  if (p50.some((v) => v !== null)) {
    latencySvg.append(node("path", { class: "max", d: path(max) }), node("path", { class: "p50", d: path(p50) }));
    // A dot per bucket too: a lone bucket has no line to draw.
    p50.forEach((v, i) => {
      if (v !== null) latencySvg.append(node("circle", { class: "dot", r: 2.5, cx: i * step, cy: l.h - (v / top) * (l.h - 10) + 2 }));
    });
  }
  const counts = data.map((d) => d.length);
  const most = Math.max(1, ...counts);
  const t = frame(throughputSvg, `${most} req`);
  const bw = t.w / BUCKETS;
  counts.forEach((c, i) => {
    if (c) throughputSvg.append(node("rect", { class: "bar", x: i * bw + 1, width: bw - 2,
      y: t.h - (c / most) * (t.h - 10) + 2, height: (c / most) * (t.h - 10) }));
  });
}
