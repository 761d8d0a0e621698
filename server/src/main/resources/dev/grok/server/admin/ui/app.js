// The grok server dashboard: plain ES modules, no build. This module signs in and out and switches between the
// views of the signed-in user's role; each view lives in its own module and talks to the REST API under /api.
// What a role may not do is hidden here, and refused by the server anyway.
import { $, api, session, whenSignedOut, is } from './api.js';
import * as tunnels from './tunnels.js';
import * as tokens from './tokens.js';
import { users, orgs, audit } from './directory.js';
import * as account from './account.js';

const views = { tunnels, tokens, users, orgs, audit, account };
const ROLE_LABELS = { super_admin: 'super admin', org_admin: 'org admin', org_user: 'org user' };
/** The name of the view on screen; null when signed out. */
let current = null;
/** Epoch millis until which sign-in is refused (429); 0 when it is not. */
let blockedUntil = 0;

// ---- views ----

/** Shows the elements marked data-roles="..." to those roles only. */
function applyRoles() {
  document.querySelectorAll('[data-roles]').forEach((e) => { e.hidden = !is(...e.dataset.roles.split(' ')); });
}

function allowed(name) {
  const link = document.querySelector(`#nav a[data-view="${name}"]`);
  return link !== null && !link.hidden;
}

function route() {
  if (!session.user) return;
  let name = location.hash.replace(/^#\/?/, '') || 'tunnels';
  if (!allowed(name)) name = 'tunnels';
  if (name === current) return;
  if (current) views[current].leave();
  document.querySelectorAll('.view').forEach((v) => { v.hidden = v.id !== `view-${name}`; });
  document.querySelectorAll('#nav a').forEach((a) => {
    if (a.dataset.view === name) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  });
  current = name;
  views[name].enter();
}

window.addEventListener('hashchange', route);

// ---- signing in and out ----

function signedIn(me) {
  session.user = me.user;
  session.csrf = me.csrf_token;
  $('user').textContent = me.user.name || me.user.email;
  $('role').textContent = ROLE_LABELS[me.user.role] || me.user.role;
  $('org').textContent = me.user.org ? `· ${me.user.org}` : '';
  applyRoles();
  $('signin').hidden = true;
  $('dashboard').hidden = false;
  $('whoami').hidden = false;
  $('nav').hidden = false;
  route();
}

/** Back to the sign-in page; {@code message} says why (null: signed out on purpose). */
function signedOut(message) {
  if (current) views[current].leave();
  Object.values(views).forEach((v) => v.reset());
  current = null;
  session.user = null;
  session.csrf = null;
  $('dashboard').hidden = true;
  $('whoami').hidden = true;
  $('nav').hidden = true;
  ['user', 'role', 'org'].forEach((id) => { $(id).textContent = ''; });
  $('signin').hidden = false;
  $('password').value = '';
  $('otp-code').value = '';
  $('otp-row').hidden = true;
  $('signin-error').textContent = message || '';
  $(($('email').value ? 'password' : 'email')).focus();
}

whenSignedOut(() => signedOut('Your session has ended (signed out elsewhere, expired, or the account was '
  + 'disabled): sign in again.'));

async function start() {
  try {
    signedIn(await api('GET', '/api/me', undefined, { quiet401: true }));
  } catch {
    signedOut(null);
  }
}

/** Refuses sign-in until the server's Retry-After has passed, saying so. */
function block(seconds) {
  blockedUntil = Date.now() + seconds * 1000;
  const buttons = [$('login-button'), $('signin-button')];
  buttons.forEach((b) => { b.disabled = true; });
  setTimeout(() => {
    blockedUntil = 0;
    buttons.forEach((b) => { b.disabled = false; });
    $('signin-error').textContent = '';
  }, seconds * 1000);
}

/** The message for a failed sign-in: 401 and 429 in words a person can act on. */
function signInError(err) {
  if (err.status === 429) {
    const s = err.retryAfterSeconds ?? 60;
    block(s);
    return `Too many failed sign-ins. Try again in ${s} s.`;
  }
  if (err.status === 401) return `Sign-in failed: ${err.message}.`;
  if (err.status === 403) return `Not allowed: ${err.message}`;
  return err.message;
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (Date.now() < blockedUntil) return;
  const body = { email: $('email').value.trim(), password: $('password').value };
  const code = $('otp-code').value.trim();
  if (!$('otp-row').hidden && code) body.otp_code = code;
  $('signin-error').textContent = '';
  $('login-button').disabled = true;
  try {
    const r = await api('POST', '/api/auth/login', body, { quiet401: true });
    if (r.requires_2fa) {
      $('otp-row').hidden = false;
      $('otp-code').required = true;
      $('otp-code').focus();
      if (body.otp_code) $('signin-error').textContent = 'That code was not accepted: try the next one.';
      return;
    }
    $('password').value = '';
    $('otp-code').value = '';
    signedIn(r);
  } catch (err) {
    $('otp-code').value = '';
    $('signin-error').textContent = signInError(err);
  } finally {
    if (Date.now() >= blockedUntil) $('login-button').disabled = false;
  }
});

// Another email starts over: the code is asked for again only when that account needs one.
$('email').addEventListener('input', () => {
  $('otp-row').hidden = true;
  $('otp-code').required = false;
  $('otp-code').value = '';
});

$('signin-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (Date.now() < blockedUntil) return;
  $('signin-error').textContent = '';
  try {
    const s = await api('POST', '/api/session', { token: $('token').value.trim() }, { quiet401: true });
    $('token').value = '';
    signedIn(s);
  } catch (err) {
    $('signin-error').textContent = signInError(err);
  }
});

$('signout').addEventListener('click', async () => {
  try { await api('POST', '/api/auth/logout', {}, { quiet401: true }); } catch { /* signed out either way */ }
  signedOut(null);
});

start();
