// The tunnels view: the live tunnels in the caller's scope (stop one), the server-wide figures and charts (super
// admin), and the request log of one tunnel from the database, newest first, filtered and paged by next_before.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';
import { $, api, session, query, row, button, span, group, bytes, since, showError, is } from './api.js';

const POLL_MS = 2000;
const PAGE = 50;
/** The poll while the view is on screen; null otherwise. */
let timer = null;
/** Whether a refresh is under way (a slow server must not pile polls up). */
let refreshing = false;
/** name -> {requests, at}: the previous sample of each tunnel, for its req/s. */
const previous = new Map();
const charts = {};
/**
 * The request log on screen: tunnel null until one is picked; before null on the newest page (which follows new
 * requests at every poll), else the cursor of the page shown; next the server's next_before; seq numbers loads so
 * that an older answer never overwrites a newer one.
 */
const log = { tunnel: null, before: null, next: null, filters: {}, seq: 0 };

export function enter() {
  $('tunnels-title').textContent = is('org_user') ? 'My tunnels'
    : is('org_admin') ? `Tunnels of ${session.user.org}` : 'Live tunnels';
  refresh();
  timer = setInterval(refresh, POLL_MS);
}

export function leave() {
  clearInterval(timer);
  timer = null;
}

export function reset() {
  previous.clear();
  log.tunnel = null;
  log.seq++;
  $('tunnels').tBodies[0].replaceChildren();
  $('requests').tBodies[0].replaceChildren();
  $('requests-filter').reset();
  $('requests-older').hidden = true;
  $('requests-newest').hidden = true;
  showError('requests-error', null);
}

async function refresh() {
  if (refreshing) return;
  refreshing = true;
  try {
    const t = await api('GET', '/api/tunnels');
    if (!timer) return; // left (or signed out) meanwhile
    renderTunnels(t.tunnels);
    showError('tunnels-error', null);
    if (is('super_admin')) renderStats(await api('GET', '/api/stats'));
    if (log.tunnel && log.before === null) await loadRequests();
  } catch (err) {
    if (err.status !== 401) showError('tunnels-error', err);
  } finally {
    refreshing = false;
  }
}

function renderTunnels(tunnels) {
  const body = $('tunnels').tBodies[0];
  const now = Date.now();
  const live = new Set();
  body.replaceChildren(...tunnels.map((t) => {
    live.add(t.name);
    const prev = previous.get(t.name);
    const rate = prev && now > prev.at ? ((t.requests - prev.requests) * 1000) / (now - prev.at) : 0;
    previous.set(t.name, { requests: t.requests, at: now });
    const link = document.createElement('a');
    link.href = t.public_url;
    link.textContent = t.public_url;
    const actions = group(button('Requests', 'show-requests', () => openLog(t.name)),
      button('Stop', 'danger disconnect', () => stop(t.name)));
    const owner = t.org && is('super_admin') ? `${t.user} (${t.org})` : t.user;
    const tr = row([link, t.kind, owner, since(t.since), rate.toFixed(1), String(t.requests),
      `${bytes(t.bytes_in)} / ${bytes(t.bytes_out)}`, actions]);
    tr.dataset.tunnel = t.name;
    return tr;
  }));
  for (const name of previous.keys()) if (!live.has(name)) previous.delete(name);
  $('tunnels-empty').hidden = tunnels.length > 0;
}

function renderStats(s) {
  $('stat-sessions').textContent = s.sessions;
  $('stat-tunnels').textContent = s.tunnels;
  $('stat-requests').textContent = s.requests;
  $('stat-bytes').textContent = `${bytes(s.bytes_in)} / ${bytes(s.bytes_out)}`;
  const h = s.history;
  const x = h.map((r) => r[0]);
  plot('requests', [x, h.map((r) => r[1])], [{ label: 'req/s', stroke: '#2f6fed' }]);
  plot('bytes', [x, h.map((r) => r[2]), h.map((r) => r[3])],
    [{ label: 'in B/s', stroke: '#2e7d32' }, { label: 'out B/s', stroke: '#ef6c00' }]);
}

function plot(name, data, series) {
  if (charts[name]) {
    charts[name].setData(data);
    return;
  }
  const el = $(`chart-${name}`);
  charts[name] = new uPlot({
    width: Math.max(300, el.clientWidth), height: 180,
    series: [{}, ...series.map((s) => ({ ...s, width: 2 }))],
    axes: [{}, { size: 60 }],
  }, data, el);
}

async function stop(name) {
  try {
    await api('DELETE', `/api/tunnels/${encodeURIComponent(name)}`);
    showError('tunnels-error', null);
  } catch (err) {
    showError('tunnels-error', new Error(`Could not stop ${name}: ${err.message}`));
  }
  await refresh();
}

// ---- request log ----

function openLog(name) {
  $('requests-tunnel').value = name;
  $('requests-filter').requestSubmit();
  $('requests-panel').scrollIntoView({ block: 'nearest' });
}

$('requests-filter').addEventListener('submit', (e) => {
  e.preventDefault();
  log.tunnel = $('requests-tunnel').value.trim();
  log.filters = { method: $('filter-method').value, status: $('filter-status').value.trim().toLowerCase(),
    q: $('filter-path').value };
  log.before = null;
  loadRequests();
});

$('requests-older').addEventListener('click', () => {
  log.before = log.next;
  loadRequests();
});

$('requests-newest').addEventListener('click', () => {
  log.before = null;
  loadRequests();
});

async function loadRequests() {
  const seq = ++log.seq;
  const name = log.tunnel;
  try {
    const r = await api('GET', `/api/tunnels/${encodeURIComponent(name)}/requests`
      + query({ before: log.before, limit: PAGE, ...log.filters }));
    if (seq !== log.seq) return;
    showError('requests-error', null);
    $('requests').tBodies[0].replaceChildren(...r.requests.map(requestRow));
    $('requests').dataset.tunnel = name;
    $('requests-empty').hidden = r.requests.length > 0;
    log.next = r.next_before ?? null;
    $('requests-older').hidden = log.next === null;
    $('requests-newest').hidden = log.before === null;
    $('requests-note').textContent = `${name}: newest first${log.before === null ? ', following new requests' : ''}`;
  } catch (err) {
    if (seq !== log.seq) return;
    $('requests').tBodies[0].replaceChildren();
    $('requests-older').hidden = true;
    $('requests-newest').hidden = true;
    showError('requests-error', err.status === 404 ? new Error(`${err.message} (no tunnel of that name in your `
      + 'scope has a log)') : err);
  }
}

function requestRow(e) {
  const status = span(e.status ? String(e.status) : e.error || '-',
    `status-${e.status ? `${Math.floor(e.status / 100)}xx` : 'none'}`);
  if (e.status && e.error) status.title = e.error;
  const at = new Date(e.at);
  const time = at.toDateString() === new Date().toDateString() ? at.toLocaleTimeString() : at.toLocaleString();
  const tr = row([time, e.method, e.path, status, `${Number(e.duration_ms).toFixed(1)} ms`,
    `${bytes(e.bytes_in)} / ${bytes(e.bytes_out)}`, e.remote_addr ?? '']);
  tr.cells[2].className = 'path';
  if (e.id !== undefined) tr.dataset.id = e.id;
  return tr;
}
