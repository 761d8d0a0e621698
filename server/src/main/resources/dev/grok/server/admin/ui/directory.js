// The admins' views: users (the super admin's all, an org admin's their org's: create, disable, enable),
// organizations (the super admin's: create, disable) and the audit log (paged by next_before).
import { $, api, session, query, row, button, span, when, showError, submitting, is } from './api.js';

const AUDIT_PAGE = 50;
const ROLE_LABELS = { super_admin: 'super admin', org_admin: 'org admin', org_user: 'org user' };

// ---- users ----

async function refreshUsers() {
  try {
    const r = await api('GET', '/api/users');
    $('users').tBodies[0].replaceChildren(...r.users.map((u) => {
      const self = u.id === session.user.id;
      const action = self ? span('you', 'muted')
        : u.disabled ? button('Enable', 'enable', () => setDisabled(u, false))
          : button('Disable', 'danger disable', () => setDisabled(u, true));
      const status = u.disabled ? span('disabled', 'status-none')
        : u.has_password === false ? span('no password', 'muted') : span('active');
      const tr = row([u.email, u.display_name ?? '', ROLE_LABELS[u.role] || u.role, u.org ?? '',
        u.totp_enabled ? 'on' : 'off', status, String(u.tokens ?? ''), String(u.tunnels ?? ''), action]);
      tr.dataset.user = u.email;
      return tr;
    }));
  } catch (err) {
    showError('user-error', err);
  }
}

async function setDisabled(u, disable) {
  try {
    await api('POST', `/api/users/${encodeURIComponent(u.email)}/${disable ? 'disable' : 'enable'}`);
    showError('user-error', null);
  } catch (err) {
    showError('user-error', new Error(`Could not ${disable ? 'disable' : 'enable'} ${u.email}: ${err.message}`));
  }
  await refreshUsers();
}

$('user-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = { email: $('new-email').value.trim(), role: $('new-role').value };
  const name = $('new-name').value.trim();
  const password = $('new-password').value;
  const org = $('new-org').value.trim();
  if (name) body.name = name;
  if (password) body.password = password;
  if (org && is('super_admin')) body.org = org;
  const ok = await submitting(e.target, 'user-error', () => api('POST', '/api/users', body));
  if (ok) e.target.reset();
  await refreshUsers();
});

export const users = {
  enter: refreshUsers,
  leave() {},
  reset() {
    $('users').tBodies[0].replaceChildren();
    $('user-form').reset();
    showError('user-error', null);
  },
};

// ---- organizations ----

async function refreshOrgs() {
  try {
    const r = await api('GET', '/api/orgs');
    $('orgs').tBodies[0].replaceChildren(...r.orgs.map((o) => {
      const action = o.disabled ? '' : button('Disable', 'danger disable', () => disableOrg(o));
      const tr = row([o.slug, o.name ?? '', String(o.members ?? ''),
        o.disabled ? span('disabled', 'status-none') : span('active'), action]);
      tr.dataset.org = o.slug;
      return tr;
    }));
  } catch (err) {
    showError('org-error', err);
  }
}

async function disableOrg(o) {
  try {
    await api('POST', `/api/orgs/${encodeURIComponent(o.slug)}/disable`);
    showError('org-error', null);
  } catch (err) {
    showError('org-error', new Error(`Could not disable ${o.slug}: ${err.message}`));
  }
  await refreshOrgs();
}

$('org-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = { slug: $('org-slug').value.trim() };
  if ($('org-name').value.trim()) body.name = $('org-name').value.trim();
  const ok = await submitting(e.target, 'org-error', () => api('POST', '/api/orgs', body));
  if (ok) e.target.reset();
  await refreshOrgs();
});

export const orgs = {
  enter: refreshOrgs,
  leave() {},
  reset() {
    $('orgs').tBodies[0].replaceChildren();
    $('org-form').reset();
    showError('org-error', null);
  },
};

// ---- audit log ----

/** The page on screen: before null for the newest; next the server's next_before; seq orders the loads. */
const page = { before: null, next: null, seq: 0 };

async function loadAudit() {
  const seq = ++page.seq;
  try {
    const r = await api('GET', `/api/audit${query({ before: page.before, limit: AUDIT_PAGE })}`);
    if (seq !== page.seq) return;
    showError('audit-error', null);
    $('audit').tBodies[0].replaceChildren(...r.entries.map((e) => {
      const tr = row([when(e.at), e.actor, e.action, e.target ?? '', e.org ?? '', e.address ?? '', e.detail ?? '']);
      tr.dataset.action = e.action;
      return tr;
    }));
    page.next = r.next_before ?? null;
    $('audit-older').hidden = page.next === null;
    $('audit-newest').hidden = page.before === null;
  } catch (err) {
    if (seq === page.seq) showError('audit-error', err);
  }
}

$('audit-older').addEventListener('click', () => {
  page.before = page.next;
  loadAudit();
});

$('audit-newest').addEventListener('click', () => {
  page.before = null;
  loadAudit();
});

export const audit = {
  enter() {
    page.before = null;
    loadAudit();
  },
  leave() {},
  reset() {
    page.seq++;
    $('audit').tBodies[0].replaceChildren();
    showError('audit-error', null);
  },
};
