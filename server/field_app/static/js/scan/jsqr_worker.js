// jsQR off the page's thread: decoding camera frames on the main thread makes the screen
// stutter on low-end phones. A classic worker (importScripts loads the vendored UMD file).
/* global jsQR */
importScripts('../../vendor/jsQR.js');

self.onmessage = ({ data: { pixels, width, height } }) => {
  const code = jsQR(new Uint8ClampedArray(pixels), width, height, { inversionAttempts: 'dontInvert' });
  self.postMessage(code ? { data: code.data, binaryData: code.binaryData } : null);
};
