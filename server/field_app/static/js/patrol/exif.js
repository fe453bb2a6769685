// The camera's own capture time of a JPEG (EXIF DateTimeOriginal, else DateTime), sent with
// a checkpoint photo as `exif_time` like the Python device does (sync/client/patrol.py): the
// server flags a photo taken far from its scan. EXIF times have no zone: the server reads
// them on the site's clock. Only the first 128 KiB are read (EXIF sits in the first segment).

const HEAD_BYTES = 128 * 1024;
const DATE_TIME_ORIGINAL = 0x9003;
const DATE_TIME = 0x0132;
const EXIF_IFD = 0x8769;

/** `YYYY-MM-DDTHH:MM:SS` of a JPEG's EXIF time, or null (no EXIF, not a JPEG, unreadable). */
export async function exifTime(blob) {
  const bytes = new DataView(await blob.slice(0, HEAD_BYTES).arrayBuffer());
  try {
    return exifTimeOf(bytes);
  } catch (_) {
    return null;         // a truncated or odd file: the photo is kept without it
  }
}

export function exifTimeOf(view) {
  if (view.byteLength < 4 || view.getUint16(0) !== 0xffd8) return null;
  let at = 2;
  while (at + 4 <= view.byteLength && view.getUint8(at) === 0xff) {
    const marker = view.getUint8(at + 1);
    const length = view.getUint16(at + 2);
    if (marker === 0xe1 && view.getUint32(at + 4) === 0x45786966) {   // "Exif"
      return fromTiff(view, at + 10);
    }
    if (marker === 0xda) return null;                                  // image data: no EXIF
    at += 2 + length;
  }
  return null;
}

function fromTiff(view, tiff) {
  const little = view.getUint16(tiff) === 0x4949;
  const u16 = (o) => view.getUint16(tiff + o, little);
  const u32 = (o) => view.getUint32(tiff + o, little);
  const entries = (ifd) => {
    const found = new Map();
    const count = u16(ifd);
    for (let n = 0; n < count; n += 1) {
      const entry = ifd + 2 + n * 12;
      found.set(u16(entry), { count: u32(entry + 4), value: u32(entry + 8) });
    }
    return found;
  };
  const text = (entry) => {
    if (!entry || entry.count < 19) return null;
    const chars = [];
    for (let k = 0; k < 19; k += 1) chars.push(view.getUint8(tiff + entry.value + k));
    const match = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}:\d{2}:\d{2})$/.exec(String.fromCharCode(...chars));
    return match ? `${match[1]}-${match[2]}-${match[3]}T${match[4]}` : null;
  };
  const ifd0 = entries(u32(4));
  const exif = ifd0.has(EXIF_IFD) ? entries(ifd0.get(EXIF_IFD).value) : new Map();
  return text(exif.get(DATE_TIME_ORIGINAL)) || text(ifd0.get(DATE_TIME));
}
