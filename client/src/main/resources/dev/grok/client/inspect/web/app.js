// The grok request inspector page: a live list over server-sent events, filters, one exchange in detail, replay,
// HAR export and two small SVG charts. No build step, no dependencies.
import { renderBody } from "./bodies.js";
import { drawCharts } from "./charts.js";

const exchanges = new Map(); // id -> summary, as the API and the event stream give them
let selected = null;         // id of the exchange in the detail view
let limits = null;

const $ = (id) => document.getElementById(id);
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
};

const size = (n) => n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(1)} MiB`;
const statusText = (x) => x.state === "pending" ? "…" : x.state === "failed" && !x.status ? "failed" : String(x.status);
const statusClass = (x) => x.state === "pending" ? "pending" : x.state === "failed" ? "failed" : `s${String(x.status)[0]}`;

async function loadStatus() {
  const s = await (await fetch("/api/status")).json();
  limits = s;
  $("status").replaceChildren(
    el("span", { class: s.connected ? "on" : "off" }, s.connected ? "● online " : "● offline "),
    s.public_url ? el("a", { href: s.public_url, target: "_blank" }, s.public_url) : "waiting for the tunnel",
    " → ", s.local_url);
  $("limits").textContent = `Keeps the last ${s.capacity} requests; bodies are captured up to `
    + `${size(s.body_limit_bytes)} each (longer ones are truncated, and say so).`;
}

async function loadRequests() {
  const list = (await (await fetch("/api/requests")).json()).requests;
  exchanges.clear();
  for (const x of list) exchanges.set(x.id, x);
  render();
}

function matches(x) {
  const m = $("filter-method").value, s = $("filter-status").value, t = $("filter-text").value.trim().toLowerCase();
  if (m && x.method !== m) return false;
  if (s === "failed" && x.state !== "failed") return false;
  if (s && s !== "failed" && String(x.status)[0] !== s) return false;
  return !t || x.path.toLowerCase().includes(t);
}

function render() {
  const rows = [...exchanges.values()].sort((a, b) => b.id - a.id).filter(matches).map((x) =>
    el("tr", { "data-id": x.id, class: `exchange-row${x.id === selected ? " selected" : ""}`,
      onclick: () => select(x.id) },
      el("td", { class: "method" }, x.method),
      el("td", { class: "path", title: x.path }, x.path),
      el("td", { class: `status ${statusClass(x)}` }, statusText(x)),
      el("td", { class: "duration" }, x.state === "pending" ? "" : `${x.duration_ms.toFixed(1)} ms`),
      el("td", {}, size(x.request_size)), el("td", {}, size(x.response_size))));
  document.querySelector("#requests tbody").replaceChildren(...rows);
  $("empty").hidden = exchanges.size > 0;
  drawCharts($("latency-chart"), $("throughput-chart"), [...exchanges.values()]);
}

function headersTable(headers) {
  return el("table", { class: "headers" }, ...headers.map((h) => el("tr", {}, el("td", {}, h.name), el("td", {}, h.value))));
}

function bodySection(title, body) {
  const parts = [el("h3", {}, `${title} (${size(body.size)})`)];
  if (body.truncated) {
    parts.push(el("p", { class: "trunc" },
      `Truncated: showing the first ${size(body.captured)} of ${size(body.size)} (capture limit ${size(limits?.body_limit_bytes ?? body.captured)}).`));
  }
  if (body.size > 0) parts.push(renderBody(body));
  return parts;
}

async function select(id) {
  selected = id;
  render();
  const res = await fetch(`/api/requests/${id}`);
  const pane = $("detail");
  pane.hidden = false;
  if (!res.ok) { pane.replaceChildren(el("p", {}, (await res.json()).error)); return; }
  const x = await res.json();
  pane.replaceChildren(
    el("h2", {}, `${x.method} ${x.path}`),
    el("p", {}, `${statusText(x)} ${x.reason ?? ""} · ${x.duration_ms.toFixed(1)} ms · ${x.started_at}`,
      x.replay_of ? ` · replay of #${x.replay_of}` : "", x.failure ? ` · ${x.failure}` : ""),
    el("div", { class: "row" },
      el("button", { id: "replay", class: "primary", type: "button", onclick: () => replay(x.id, {}) }, "Replay"),
      el("button", { id: "edit-replay", type: "button", onclick: () => editor(x) }, "Edit and replay…"),
      el("a", { id: "export-one", class: "button", href: `/api/requests/${x.id}/har`, download: `grok-${x.id}.har` }, "Export HAR")),
    el("div", { id: "editor" }),
    el("h3", {}, "Request headers"), headersTable(x.request.headers),
    ...bodySection("Request body", x.request.body),
    el("h3", {}, "Response headers"), headersTable(x.response.headers),
    ...bodySection("Response body", x.response.body),
    el("p", { class: "hint" }, `local connect ${x.timings.local_connect_ms < 0 ? "(pooled)" : x.timings.local_connect_ms.toFixed(2) + " ms"}`
      + ` · local response ${x.timings.local_response_ms.toFixed(2)} ms`));
}

function editor(x) {
  const body = x.request.body;
  const text = body.encoding === "text" ? body.text : "";
  const form = el("form", { class: "editor", onsubmit: (e) => e.preventDefault() },
    el("label", {}, "Method"), el("input", { id: "edit-method", value: x.method }),
    el("label", {}, "Path"), el("input", { id: "edit-path", value: x.path }),
    el("label", {}, "Headers (one Name: value a line)"),
    el("textarea", { id: "edit-headers" }),
    el("label", {}, body.encoding === "text" ? "Body" : "Body (binary: leave empty to send the captured bytes)"),
    el("textarea", { id: "edit-body" }),
    el("div", { class: "row" }, el("button", { id: "send-edited", class: "primary", type: "button", onclick: () => {
      const edits = { method: $("edit-method").value.trim(), path: $("edit-path").value.trim(),
        headers: $("edit-headers").value.split("\n").filter((l) => l.includes(":")).map((l) => {
          const i = l.indexOf(":");
          return { name: l.slice(0, i).trim(), value: l.slice(i + 1).trim() };
        }) };
      if (body.encoding === "text" || $("edit-body").value) edits.body = $("edit-body").value;
      replay(x.id, edits);
    } }, "Send")));
  form.querySelector("#edit-headers").value = x.request.headers.map((h) => `${h.name}: ${h.value}`).join("\n");
  form.querySelector("#edit-body").value = text;
  $("editor").replaceChildren(form);
}

async function replay(id, edits) {
  const res = await fetch(`/api/requests/${id}/replay`, { method: "POST",
    headers: { "Content-Type": "application/json" }, body: JSON.stringify(edits) });
  const answer = await res.json();
  if (!res.ok) { alert(answer.error); return; }
  select(answer.id);
}

function listen() {
  const events = new EventSource("/api/events");
  events.addEventListener("open", () => { loadStatus(); loadRequests(); });
  events.addEventListener("exchange", (e) => {
    const x = JSON.parse(e.data);
    exchanges.set(x.id, x);
    render();
    if (x.id === selected && x.state !== "pending") select(x.id);
  });
}

for (const id of ["filter-method", "filter-status", "filter-text"]) $(id).addEventListener("input", render);
$("clear").addEventListener("click", async () => { await fetch("/api/requests", { method: "DELETE" }); loadRequests(); });
setInterval(loadStatus, 5000);
setInterval(render, 10000); // the charts' time window moves on even when nothing happens
loadStatus();
listen();
