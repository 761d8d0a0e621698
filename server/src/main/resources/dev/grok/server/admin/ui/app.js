// The grok server dashboard: plain ES module, no build. Talks to the REST API under /api with the session
// cookie; every state-changing call carries the session's CSRF token in X-CSRF-Token.
import uPlot from '/webjars/uplot/dist/uPlot.esm.js';

const POLL_MS = 2000;
const $ = (id) => document.getElementById(id);
let csrf = null;
let timer = null;
let selectedTunnel = null;
/** name -> {requests, at}: the previous sample of each tunnel, for its req/s. */
const previous = new Map();
const charts = {};

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  const res = await fetch(path, {
    method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const err = new Error(data.error || `${res.status} ${res.statusText}`);
    err.status = res.status;
    throw err;
  }
  return data;
}

/** A table row of text cells (never HTML: names and paths come from visitors). */
function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    if (c instanceof Node) td.append(c); else td.textContent = c ?? '';
    tr.append(td);
  }
  return tr;
}

function button(label, cls, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (cls) b.className = cls;
  b.addEventListener('click', onClick);
  return b;
}

function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

function since(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

// ---- sign-in ----

function show(signedIn, user) {
  $('signin').hidden = signedIn;
  $('dashboard').hidden = !signedIn;
  $('whoami').hidden = !signedIn;
  $('user').textContent = user || '';
  clearInterval(timer);
  if (signedIn) {
    refreshAll();
    timer = setInterval(refresh, POLL_MS);
  }
}

async function start() {
  try {
    const s = await api('GET', '/api/session');
    csrf = s.csrf_token;
    show(true, s.user.name || s.user.email);
  } catch {
    show(false);
  }
}

$('signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('signin-error').textContent = '';
  try {
    const s = await api('POST', '/api/session', { token: $('token').value.trim() });
    csrf = s.csrf_token;
    $('token').value = '';
    show(true, s.user.name || s.user.email);
  } catch (err) {
    $('signin-error').textContent = err.message;
  }
});

$('signout').addEventListener('click', async () => {
  try { await api('DELETE', '/api/session'); } finally { csrf = null; show(false); }
});

// ---- data ----

async function refreshAll() {
  await Promise.all([refresh(), refreshTokens()]);
}

async function refresh() {
  try {
    const [tunnels, stats, users] = await Promise.all([api('GET', '/api/tunnels'), api('GET', '/api/stats'),
      api('GET', '/api/users')]);
    renderTunnels(tunnels.tunnels);
    renderUsers(users.users);
    renderStats(stats);
    if (selectedTunnel) await refreshRequests();
  } catch (err) {
    if (err.status === 401) show(false);
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
    const actions = document.createElement('span');
    actions.append(button('Requests', 'show-requests', () => selectTunnel(t.name)), ' ',
      button('Disconnect', 'danger disconnect', () => disconnect(t.name)));
    const tr = row([link, t.kind, t.user, since(t.since), rate.toFixed(1), String(t.requests),
      `${bytes(t.bytes_in)} / ${bytes(t.bytes_out)}`, actions]);
    tr.dataset.tunnel = t.name;
    return tr;
  }));
  for (const name of previous.keys()) if (!live.has(name)) previous.delete(name);
  $('tunnels-empty').hidden = tunnels.length > 0;
  if (selectedTunnel && !live.has(selectedTunnel)) {
    selectedTunnel = null;
    $('requests-panel').hidden = true;
  }
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

async function selectTunnel(name) {
  selectedTunnel = name;
  $('requests-tunnel').textContent = name;
  $('requests-panel').hidden = false;
  await refreshRequests();
}

async function refreshRequests() {
  const name = selectedTunnel;
  try {
    const r = await api('GET', `/api/tunnels/${encodeURIComponent(name)}/requests`);
    if (name !== selectedTunnel) return;
    $('requests').tBodies[0].replaceChildren(...r.requests.map((e) => {
      const status = document.createElement('span');
      status.textContent = e.status || e.error || '-';
      status.className = `status-${e.status ? `${Math.floor(e.status / 100)}xx` : 'none'}`;
      const tr = row([new Date(e.at).toLocaleTimeString(), e.method, e.path, status,
        `${e.duration_ms.toFixed(1)} ms`, `${bytes(e.bytes_in)} / ${bytes(e.bytes_out)}`]);
      tr.cells[2].className = 'path';
      return tr;
    }));
  } catch (err) {
    if (err.status === 404) { selectedTunnel = null; $('requests-panel').hidden = true; }
  }
}

async function disconnect(name) {
  try {
    await api('DELETE', `/api/tunnels/${encodeURIComponent(name)}`);
  } catch (err) {
    alert(`Could not disconnect ${name}: ${err.message}`);
  }
  await refresh();
}

// ---- tokens and users ----

async function refreshTokens() {
  const [tokens, users] = await Promise.all([api('GET', '/api/tokens'), api('GET', '/api/users')]);
  renderUsers(users.users);
  $('tokens').tBodies[0].replaceChildren(...tokens.tokens.map((t) => {
    const revoke = t.status === 'active'
      ? button('Revoke', 'danger revoke', async () => {
        await api('DELETE', `/api/tokens/${encodeURIComponent(t.id)}`);
        await refreshTokens();
      })
      : '';
    const tr = row([t.id, t.name, t.user, t.status, new Date(t.created_at).toLocaleString(), revoke]);
    tr.dataset.token = t.name;
    return tr;
  }));
}

function renderUsers(users) {
  $('users').tBodies[0].replaceChildren(...users.map((u) =>
    row([u.name, u.admin ? 'admin' : 'user', String(u.tokens), String(u.tunnels)])));
}

$('token-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  $('token-error').textContent = '';
  const body = { name: $('token-name').value.trim() };
  if ($('token-user').value.trim()) body.user = $('token-user').value.trim();
  try {
    const t = await api('POST', '/api/tokens', body);
    $('created-user').textContent = t.user;
    $('created-token').textContent = t.token;
    $('created').hidden = false;
    $('token-name').value = '';
    $('token-user').value = '';
    await refreshTokens();
  } catch (err) {
    $('token-error').textContent = err.message;
  }
});

start();
