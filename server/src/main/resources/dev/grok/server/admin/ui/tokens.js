// The tokens view: the tunnel tokens in the caller's scope; create one (shown once, with a copy button), revoke one.
// An admin may create a token for another user of their scope; an org user only for themself.
import { $, api, row, button, when, showError, submitting, copy, is } from './api.js';

export function enter() {
  refresh();
}

/** The new token is shown once: leaving the view forgets it. */
export function leave() {
  hideCreated();
}

export function reset() {
  hideCreated();
  $('tokens').tBodies[0].replaceChildren();
  $('token-form').reset();
  showError('token-error', null);
}

function hideCreated() {
  $('created').hidden = true;
  $('created-token').textContent = '';
  $('created-copied').textContent = '';
}

async function refresh() {
  try {
    const r = await api('GET', '/api/tokens');
    const showUser = !is('org_user');
    $('tokens').tHead.rows[0].cells[2].hidden = !showUser;
    $('tokens').tBodies[0].replaceChildren(...r.tokens.map((t) => {
      const revoke = t.status === 'active' ? button('Revoke', 'danger revoke', () => revokeToken(t)) : '';
      const tr = row([t.id, t.name, t.user, t.status, when(t.created_at), revoke]);
      tr.cells[2].hidden = !showUser;
      tr.dataset.token = t.name;
      return tr;
    }));
  } catch (err) {
    showError('token-error', err);
  }
}

async function revokeToken(t) {
  try {
    await api('DELETE', `/api/tokens/${encodeURIComponent(t.id)}`);
    showError('token-error', null);
  } catch (err) {
    showError('token-error', new Error(`Could not revoke ${t.name}: ${err.message}`));
  }
  await refresh();
}

$('token-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = { name: $('token-name').value.trim() };
  const user = $('token-user').value.trim();
  if (user && !is('org_user')) body.user = user;
  await submitting(e.target, 'token-error', async () => {
    const t = await api('POST', '/api/tokens', body);
    $('created-user').textContent = t.user;
    $('created-token').textContent = t.token;
    $('created-copied').textContent = '';
    $('created').hidden = false;
    e.target.reset();
  });
  await refresh();
});

$('created-copy').addEventListener('click', async () => {
  const ok = await copy($('created-token').textContent, $('created-token'));
  $('created-copied').textContent = ok ? 'Copied.' : 'Select it and copy by hand.';
});

$('created-done').addEventListener('click', hideCreated);
