// The ways a guard records a checkpoint, largest first, all within a thumb's reach:
// the camera (QR), a photo of the label decoded in the page (phones whose camera stream does
// not work in the browser), NFC where Web NFC exists, and typing the code (always there;
// recorded `manual`, which the server flags as `manual_entry`).

import { h, pictureInput } from './dom.js';
import { MANUAL } from './round.js';
import { decodePicture, startCamera } from '../scan/qr.js';
import { nfcAvailable, startNfc } from '../scan/nfc.js';
import { tagFromTyped } from '../scan/payload.js';

/**
 * `scanPanel({t, onTag(tag, method), onMessage(text, kind)})` -> `{element, stop()}`.
 * `stop()` ends the camera and NFC (call it when the screen is left).
 */
export function scanPanel({ t, onTag, onMessage }) {
  let stopCamera = null;
  let stopNfc = null;
  let nfcWanted = false;
  let left = false;            // the screen was left: nothing may start or record any more
  const video = h('video', { class: 'patrol-video', hidden: true, playsinline: true, muted: true });
  const closeCamera = () => {
    if (stopCamera) stopCamera();
    stopCamera = null;
    video.hidden = true;
    cameraButton.hidden = false;
    closeButton.hidden = true;
  };
  const cameraButton = h('button', { type: 'button', class: 'patrol-big patrol-camera',
    onclick: async () => {
      cameraButton.disabled = true;
      try {
        video.hidden = false;
        const stop = await startCamera(video, (tag) => {
          closeCamera();          // one code per opening: the same label is seen every frame
          if (!left) onTag(tag, 'qr');
        });
        if (left) {               // the guard left while the camera was starting
          stop();
          return;
        }
        stopCamera = stop;
        cameraButton.hidden = true;
        closeButton.hidden = false;
      } catch (error) {
        video.hidden = true;
        onMessage(t('patrol.camera_failed', { reason: error.message || error.name }), 'error');
      } finally {
        cameraButton.disabled = false;
      }
    } }, t('patrol.scan_camera'));
  const closeButton = h('button', { type: 'button', class: 'patrol-secondary patrol-stop-camera', hidden: true,
    onclick: closeCamera }, t('patrol.stop_camera'));

  const picture = pictureInput('patrol-picture', async (file) => {
    try {
      const tag = await decodePicture(file);
      if (left) return;
      if (tag) onTag(tag, 'qr');
      else onMessage(t('patrol.no_code_in_picture'), 'error');
    } catch (error) {
      onMessage(t('patrol.error', { reason: error.message }), 'error');
    }
  });

  const armNfc = async () => {
    try {
      const stop = await startNfc((tag) => !left && onTag(tag, 'nfc'),
        (code) => onMessage(t(`patrol.nfc_problem.${code}`), 'error'));
      if (left) {
        stop();
        return;
      }
      stopNfc = stop;
      nfcWanted = true;
      onMessage(t('patrol.nfc_listening'), 'info');
    } catch (error) {
      onMessage(t('patrol.nfc_failed', { reason: error.message || error.name }), 'error');
    }
  };
  const nfcButton = nfcAvailable()
    ? h('button', { type: 'button', class: 'patrol-big patrol-nfc', onclick: () => {
      if (!stopNfc) armNfc();
    } }, t('patrol.scan_nfc'))
    : null;
  // the NFC radio stops while the page is hidden: listen again when it is shown
  const onVisible = () => {
    if (document.visibilityState !== 'visible' || !nfcWanted) return;
    if (stopNfc) stopNfc();
    stopNfc = null;
    armNfc();
  };
  document.addEventListener('visibilitychange', onVisible);

  const typed = h('input', { type: 'text', class: 'patrol-typed', name: 'tag', autocomplete: 'off',
    autocapitalize: 'characters', spellcheck: 'false', 'aria-label': t('patrol.typed_label'),
    placeholder: t('patrol.typed_label') });
  const form = h('form', { class: 'patrol-typed-form', onsubmit: (event) => {
    event.preventDefault();
    const tag = tagFromTyped(typed.value);
    if (!tag) {
      onMessage(t('patrol.bad_tag'), 'error');
      return;
    }
    typed.value = '';
    onTag(tag, MANUAL);
  } }, typed, h('button', { type: 'submit', class: 'patrol-record' }, t('patrol.record_typed')));

  const element = h('section', { class: 'patrol-scan' }, video,
    h('div', { class: 'patrol-scan-buttons' }, cameraButton, closeButton, nfcButton,
      h('label', { class: 'patrol-big patrol-picture-label' }, t('patrol.scan_picture'), picture)),
    form, h('p', { class: 'patrol-hint' }, t('patrol.typed_hint')));
  return {
    element,
    stop: () => {
      left = true;
      closeCamera();
      nfcWanted = false;
      if (stopNfc) stopNfc();
      stopNfc = null;
      document.removeEventListener('visibilitychange', onVisible);
    },
  };
}
