// QR codes of checkpoint labels: live from the rear camera, or decoded from a picture.
//
// The browser's own `BarcodeDetector` is used only where it lists `qr_code` among its
// formats (Chrome ships it on Android with Play Services, never on Linux or iOS), and is
// dropped at its first failure; everywhere else the vendored jsQR decodes camera frames (a
// centre crop of at most 640 px a few times a second: full frames peg a phone's CPU).
// The decoding runs in a worker (jsqr_worker.js), so the screen stays responsive.
// Decoding a picture (a file input) covers phones whose camera stream does not work in the
// browser (WeChat, old WebViews): the camera app takes the photo, jsQR reads it.

import { tagFromBarcode, tagFromJsQr } from './payload.js';

const FRAME_EVERY_MS = 150;
const CROP_PX = 640;
const PICTURE_MAX_PX = 1600;
let jsQrLoading = null;

/** The vendored jsQR (a UMD file: loaded once as a classic script, it sets `jsQR`). */
export function loadJsQr() {
  if (globalThis.jsQR) return Promise.resolve(globalThis.jsQR);
  if (!jsQrLoading) {
    jsQrLoading = new Promise((resolve, reject) => {
      const script = document.createElement('script');
      script.src = new URL('../../vendor/jsQR.js', import.meta.url).href;
      script.onload = () => resolve(globalThis.jsQR);
      script.onerror = () => {
        jsQrLoading = null;
        reject(new Error('the QR decoder could not be loaded'));
      };
      document.head.append(script);
    });
  }
  return jsQrLoading;
}

/** A `BarcodeDetector` for QR codes, or null where the browser has none that reads them. */
export async function nativeQrDetector() {
  if (!('BarcodeDetector' in globalThis)) return null;
  try {
    const formats = await globalThis.BarcodeDetector.getSupportedFormats();
    return formats.includes('qr_code') ? new globalThis.BarcodeDetector({ formats: ['qr_code'] }) : null;
  } catch (_) {
    return null;
  }
}

function canvasOf(width, height) {
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

function release(canvas) {
  canvas.width = 0;       // frees the pixels now, not at the next garbage collection
  canvas.height = 0;
}

/** Scan a picture (File/Blob) for a checkpoint's QR code: its tag, or null if none is read. */
export async function decodePicture(file) {
  const probe = await createImageBitmap(file);
  const scale = Math.min(1, PICTURE_MAX_PX / Math.max(probe.width, probe.height));
  const width = Math.max(1, Math.round(probe.width * scale));
  const height = Math.max(1, Math.round(probe.height * scale));
  probe.close();
  // decoded downscaled: a 12 MP original would cost ~48 MB of pixels per copy
  const bitmap = await createImageBitmap(file, { resizeWidth: width, resizeHeight: height,
    resizeQuality: 'high' });
  const canvas = canvasOf(width, height);
  try {
    const detector = await nativeQrDetector();
    if (detector) {
      try {
        const [found] = await detector.detect(bitmap);
        const tag = tagFromBarcode(found);
        if (tag) return tag;
      } catch (_) { /* fall through to jsQR */ }
    }
    const jsQR = await loadJsQr();
    const context = canvas.getContext('2d', { willReadFrequently: true });
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, width, height);
    return tagFromJsQr(jsQR(pixels.data, width, height, { inversionAttempts: 'attemptBoth' }));
  } finally {
    bitmap.close();
    release(canvas);
  }
}

/**
 * Read QR codes from the rear camera into `video` until stopped; `onTag(tag)` for each code
 * read. Returns `stop()`, which ends the camera (its light goes off): call it on leaving.
 * Rejects when there is no camera or it is refused (the picture and typed paths remain).
 */
export async function startCamera(video, onTag) {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: false, video: { facingMode: { ideal: 'environment' } } });
  let stopped = false;
  let timer = null;
  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    stream.getTracks().forEach((track) => track.stop());
    video.srcObject = null;
  };
  video.setAttribute('playsinline', '');     // iOS would open its full-screen player
  video.muted = true;
  video.srcObject = stream;
  try {
    await video.play();
  } catch (error) {
    stop();
    throw error;
  }
  let detector = await nativeQrDetector();
  let decoder = null;       // the jsQR worker, started when the native detector is not used
  const canvas = canvasOf(CROP_PX, CROP_PX);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  const frame = async () => {
    if (stopped) return;
    let tag = null;
    if (video.videoWidth) {
      if (detector) {
        try {
          const [found] = await detector.detect(video);
          tag = tagFromBarcode(found);
        } catch (_) {
          detector = null;    // broken native detector: jsQR from the next frame on
        }
      } else {
        decoder = decoder || frameDecoder();
        tag = tagFromJsQr(await decoder.decode(centre(video, canvas, context)));
      }
    }
    if (tag && !stopped) onTag(tag);
    if (!stopped) timer = setTimeout(frame, FRAME_EVERY_MS);
  };
  timer = setTimeout(frame, 0);
  return () => {
    stop();
    if (decoder) decoder.close();
    release(canvas);
  };
}

/** The pixels of the frame's centre square, at most 640 px a side. */
function centre(video, canvas, context) {
  const side = Math.min(video.videoWidth, video.videoHeight);
  const crop = Math.min(side, CROP_PX);
  const sx = (video.videoWidth - side) / 2;
  const sy = (video.videoHeight - side) / 2;
  canvas.width = crop;
  canvas.height = crop;
  context.drawImage(video, sx, sy, side, side, 0, 0, crop, crop);
  return context.getImageData(0, 0, crop, crop);
}

/**
 * jsQR in a worker: `decode(imageData)` resolves to jsQR's result (or null), one frame at a
 * time. Where workers fail (a broken WebView), frames are decoded on the page instead.
 */
function frameDecoder() {
  let worker = null;
  try {
    worker = new Worker(new URL('./jsqr_worker.js', import.meta.url));
  } catch (_) {
    worker = null;
  }
  const onPage = async ({ data, width, height }) => {
    const jsQR = await loadJsQr().catch(() => null);
    return jsQR ? jsQR(data, width, height, { inversionAttempts: 'dontInvert' }) : null;
  };
  return {
    decode: (image) => (!worker ? onPage(image) : new Promise((resolve) => {
      worker.onmessage = ({ data }) => resolve(data);
      worker.onerror = (event) => {
        event.preventDefault();
        worker.terminate();
        worker = null;
        resolve(onPage(image));
      };
      const { buffer } = image.data;
      worker.postMessage({ pixels: buffer, width: image.width, height: image.height }, [buffer]);
    })),
    close: () => worker && worker.terminate(),
  };
}
