// The account view: the caller's two-factor authentication. Set-up shows the otpauth URL as a QR code (an SVG the
// server draws, shown as a data: image) with its secret, turns 2FA on with a code, and shows the recovery codes once.
import { $, api, session, showError, submitting, copy } from './api.js';

export async function enter() {
  try {
    const me = await api('GET', '/api/me');
    session.user = me.user;
    render();
  } catch (err) {
    showError('tfa-error', err);
  }
}

/** Secrets and recovery codes are shown once: leaving the view forgets them. */
export function leave() {
  forget();
}

export function reset() {
  forget();
  $('tfa-disable-form').reset();
}

function forget() {
  $('tfa-setup').hidden = true;
  $('tfa-qr').removeAttribute('src');
  $('tfa-secret').textContent = '';
  $('tfa-verify-form').reset();
  $('tfa-recovery').hidden = true;
  $('tfa-codes').textContent = '';
  $('tfa-codes-copied').textContent = '';
  showError('tfa-error', null);
}

function render() {
  const u = session.user;
  const on = u.totp_enabled;
  $('tfa-status').textContent = on ? 'On: signing in with your password also asks for a code from your app.'
    : u.has_password === false ? 'Off. This account has no password (it signs in with an admin token); 2FA '
      + 'applies to email and password sign-in.'
      : 'Off: your password alone signs you in.';
  $('tfa-status').dataset.enabled = String(on);
  $('tfa-start').hidden = on || !$('tfa-setup').hidden || !$('tfa-recovery').hidden;
  $('tfa-disable-form').hidden = !on || !$('tfa-recovery').hidden;
}

$('tfa-start').addEventListener('click', async () => {
  showError('tfa-error', null);
  try {
    const s = await api('POST', '/api/2fa/setup');
    if (s.qr_svg) {
      $('tfa-qr').src = `data:image/svg+xml;base64,${btoa(s.qr_svg)}`;
      $('tfa-qr').hidden = false;
    } else {
      $('tfa-qr').hidden = true;
    }
    $('tfa-qr').title = s.otpauth_url;
    $('tfa-secret').textContent = s.secret;
    $('tfa-setup').hidden = false;
    $('tfa-start').hidden = true;
    $('tfa-code').focus();
  } catch (err) {
    showError('tfa-error', err);
  }
});

$('tfa-verify-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  await submitting(e.target, 'tfa-error', async () => {
    const r = await api('POST', '/api/2fa/verify', { code: $('tfa-code').value.trim() });
    $('tfa-setup').hidden = true;
    $('tfa-qr').removeAttribute('src');
    $('tfa-secret').textContent = '';
    $('tfa-codes').textContent = (r.recovery_codes || []).join('\n');
    $('tfa-recovery').hidden = false;
    session.user = { ...session.user, totp_enabled: true };
    render();
  });
});

$('tfa-codes-copy').addEventListener('click', async () => {
  const ok = await copy($('tfa-codes').textContent, $('tfa-codes'));
  $('tfa-codes-copied').textContent = ok ? 'Copied.' : 'Select them and copy by hand.';
});

$('tfa-codes-done').addEventListener('click', () => {
  forget();
  render();
});

$('tfa-disable-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const ok = await submitting(e.target, 'tfa-error',
    () => api('POST', '/api/2fa/disable', { password: $('tfa-password').value }));
  if (ok) {
    e.target.reset();
    await enter();
  }
});
