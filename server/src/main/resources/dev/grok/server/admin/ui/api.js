// The dashboard's REST calls and DOM helpers, shared by its views. Plain ES module, no build.

export const $ = (id) => document.getElementById(id);

/** The signed-in session: {user, csrf}; user null when signed out. Set by app.js only. */
export const session = { user: null, csrf: null };

/** An error of the REST API: the server's message, its HTTP status and, for 429, the seconds to wait. */
export class ApiError extends Error {
  constructor(message, status, retryAfterSeconds) {
    super(message);
    this.status = status;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Listeners told when a call answers 401 (the session ended: signed out elsewhere, expired, user disabled). */
const onUnauthorized = [];
export function whenSignedOut(fn) { onUnauthorized.push(fn); }

/**
 * Calls the REST API with the session cookie; every state-changing call carries the session's CSRF token in
 * X-CSRF-Token. Answers the parsed body, or throws an ApiError with the server's message.
 */
export async function api(method, path, body, { quiet401 = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && session.csrf) headers['X-CSRF-Token'] = session.csrf;
  let res;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(`the server did not answer (${e.message}); is it running?`, 0);
  }
  const data = await res.json().catch(() => ({}));
  if (!res.ok) {
    const retry = Number.parseInt(res.headers.get('Retry-After') || '', 10);
    const err = new ApiError(data.error || `${res.status} ${res.statusText}`, res.status,
      Number.isNaN(retry) ? null : retry);
    if (res.status === 401 && !quiet401 && session.user) onUnauthorized.forEach((fn) => fn());
    throw err;
  }
  return data;
}

/** A query string of the non-empty values of {@code params} ('' when none). */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** A table row of text cells (never HTML: names and paths come from users and visitors). */
export function row(cells) {
  const tr = document.createElement('tr');
  for (const c of cells) {
    const td = document.createElement('td');
    if (c instanceof Node) td.append(c); else td.textContent = c ?? '';
    tr.append(td);
  }
  return tr;
}

export function button(label, cls, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  if (cls) b.className = cls;
  b.addEventListener('click', onClick);
  return b;
}

export function span(text, cls) {
  const s = document.createElement('span');
  s.textContent = text;
  if (cls) s.className = cls;
  return s;
}

/** Several nodes in one cell, separated by spaces. */
export function group(...nodes) {
  const s = document.createElement('span');
  nodes.filter(Boolean).forEach((n, i) => { if (i) s.append(' '); s.append(n); });
  return s;
}

export function bytes(n) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return `${i === 0 ? n : n.toFixed(1)} ${units[i]}`;
}

export function since(iso) {
  const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '';
}

/** Shows {@code err}'s message in the element {@code id} (an empty message clears it). */
export function showError(id, err) {
  $(id).textContent = err ? err.message || String(err) : '';
}

/**
 * Runs {@code action} with the form's submit button disabled, showing a failure in {@code errorId}; answers whether
 * it succeeded.
 */
export async function submitting(form, errorId, action) {
  const submit = form.querySelector('button[type=submit]');
  showError(errorId, null);
  if (submit) submit.disabled = true;
  try {
    await action();
    return true;
  } catch (err) {
    showError(errorId, err);
    return false;
  } finally {
    if (submit) submit.disabled = false;
  }
}

/** Copies {@code text} to the clipboard (the Clipboard API needs a secure context; else the old way). */
export async function copy(text, fallbackElement) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const range = document.createRange();
    range.selectNodeContents(fallbackElement);
    const sel = window.getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    return document.execCommand('copy');
  }
}

/** Whether the signed-in user has one of {@code roles}. */
export function is(...roles) {
  return session.user !== null && roles.includes(session.user.role);
}
