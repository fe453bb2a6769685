// Log in: register this install as a device (POST /auth/device-login), keep the token,
// bind the outbox to the new registration, and ask for persistent storage.
import { errorText, request } from '../api.js';
import { getMeta, setMeta } from '../db.js';
import { h } from '../dom.js';
import * as outbox from '../outbox.js';

function deviceName() {
  const ua = navigator.userAgent;
  const os = /Android/.test(ua) ? 'Android' : /iPhone|iPad/.test(ua) ? 'iOS' : 'browser';
  return `field app (${os})`;
}

async function installId() {
  let id = await getMeta('install_id');
  if (!id) { id = outbox.newId(); await setMeta({ install_id: id }); }
  return id;
}

/** Ask the browser to keep our data under storage pressure; remember the answer. */
export async function askPersistence() {
  if (!(navigator.storage && navigator.storage.persist)) {
    await setMeta({ persisted: false });
    return false;
  }
  const granted = (await navigator.storage.persisted()) || (await navigator.storage.persist());
  await setMeta({ persisted: granted });
  return granted;
}

export async function mount(el, ctx) {
  const { t } = ctx;
  const message = h('p', { id: 'login-message', class: 'error', role: 'alert' });
  const username = h('input', { name: 'username', autocomplete: 'username', required: true,
                                autocapitalize: 'none', value: ctx.me ? ctx.me.username : '' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'wide' }, t('login.submit'));
  const form = h('form', { id: 'login' },
    h('label', {}, t('login.username'), username), h('label', {}, t('login.password'), password),
    h('p'), submit, message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    message.textContent = '';
    const previous = await getMeta('me');
    const waiting = (await outbox.pending()).length;
    if (previous && previous.username !== username.value && waiting) {
      message.textContent = t('login.pending_other', { user: previous.username, n: waiting });
      return;
    }
    submit.disabled = true;
    submit.textContent = t('login.busy');
    try {
      const { body } = await request('/auth/device-login', { method: 'POST', auth: false, json: {
        username: username.value, password: password.value, device_name: deviceName(),
        install_id: await installId() } });
      const user = body.user;
      await setMeta({ token: body.token, device: body.device, me: {
        user_id: user.id, username: user.username, role: user.role, site_ids: user.site_ids,
        device_id: body.device.id, display_name: user.display_name } });
      await outbox.bind(body.device.id, user.id);
      await askPersistence();
      history.replaceState(null, '', '#/today'); // restart() routes there once
      await window.fieldsync.restart();
      window.fieldsync.scheduler.soon(0);
    } catch (err) {
      message.textContent = t('login.failed', { reason: errorText(t, err) });
      submit.disabled = false;
      submit.textContent = t('login.submit');
    }
  });
  el.append(h('h1', {}, t('login.title')), form);
}
