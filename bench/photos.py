"""Photo pipeline benchmark: the whole intake against a bare decode, same run.

    python bench/photos.py [--runs 9]

For a generated 12 MP camera JPEG (sensor-like noise, EXIF orientation 6, GPS):

* anchor   -- ``Image.open(path).load()``, the least any server can do with it;
* pipeline -- ``VariantCache.intake`` with markup and a stamp: format/size/bomb
  checks, full decode, EXIF facts, and display, thumb, annotated and stamped
  JPEGs written atomically (fsync included). Goal: <= 2.0x the anchor.

Also: peak memory of intake for 50 MP images (JPEG and PNG) against a bare
decode of the same file, each in a fresh process; and the time to refuse PNG
bombs (goal < 50 ms, refused from the header, no decode). Runs alternate
anchor and pipeline so load from other processes hits both alike.

And the server under a burst: 8 parallel uploads of distinct ~200 KB,
50 MP RGBA PNGs (200 MB each once decoded) to a real ``fieldsync serve``;
its peak RSS (VmHWM) against the goal PHOTO_DECODE_MEMORY + 300 MB, one fresh
server per run (``--burst-runs``, ``--budget-mib``).
"""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageChops, ImageDraw  # noqa: E402

from bench.upload_burst import bench_upload_burst  # noqa: E402
from server.photos import (AnnotationsSchema, GpsFix, PhotoConfig, PhotoRefused,  # noqa: E402
                           StampInfo, VariantCache, inspect_photo)

MARKUP = AnnotationsSchema().load({"shapes": [
    {"type": "arrow", "points": [[0.2, 0.25], [0.48, 0.5]]},
    {"type": "ellipse", "points": [[0.45, 0.45], [0.75, 0.62]], "color": "#ffcc00"},
    {"type": "freehand", "points": [[0.1 + i / 400, 0.8 + 0.02 * (i % 7)] for i in range(200)]},
    {"type": "text", "points": [[0.1, 0.1]], "text": "裂缝 #3 东立面 2层 / crack near beam"},
]})
STAMP = StampInfo(time=datetime(2024, 5, 6, 14, 32, 10, tzinfo=timezone(timedelta(hours=8))),
                  site="阳光花园 3期", checkpoint="东门消防通道", inspector="张伟",
                  gps=GpsFix(31.230416, 121.473701))


def camera_jpeg(width: int, height: int) -> bytes:
    """A photo-like JPEG: smooth scene, edges, per-channel sensor noise; EXIF 6 + GPS."""
    scene = Image.merge("RGB", [
        ImageChops.add(Image.linear_gradient("L").resize((width, height)),
                       Image.effect_noise((width // 8, height // 8), 60)
                       .resize((width, height), Image.Resampling.BICUBIC), scale=2.0),
        Image.radial_gradient("L").resize((width, height)),
        Image.effect_noise((width // 16, height // 16), 50).resize((width, height)),
    ])
    draw = ImageDraw.Draw(scene)
    for i in range(40):  # some hard edges, like window frames and tiles
        x = (i * 997) % width
        draw.rectangle((x, height // 5, x + width // 30, height - height // 5),
                       outline=(20, 20, 20), width=max(2, width // 800))
    grain = Image.merge("RGB", [Image.effect_noise((width, height), s) for s in (9, 7, 11)])
    photo = ImageChops.add(scene, grain, scale=1.0, offset=-128)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (31.0, 13.0, 49.5), 3: "E", 4: (121.0, 28.0, 25.3)}
    exif[0x8769] = {0x9003: "2024:05:06 14:30:00", 0x9011: "+08:00"}
    buf = io.BytesIO()
    photo.save(buf, "JPEG", quality=92, exif=exif)
    return buf.getvalue()


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def bench_pipeline(path: Path, runs: int, work: Path) -> None:
    sha = hashlib.sha256(path.read_bytes()).hexdigest()

    def bare():
        with Image.open(path) as im:
            im.load()

    caches = iter(VariantCache(work / f"cache{i}") for i in range(runs + 1))
    last: list[VariantCache] = []

    def pipeline():
        cache = next(caches)
        cache.intake(sha, path, MARKUP, STAMP)
        last[:] = [cache]

    bare(), pipeline()  # warm up: plugin imports, font load, page cache
    anchor, whole = [], []
    for _ in range(runs):
        anchor.append(timed(bare))
        whole.append(timed(pipeline))
    a, p = statistics.median(anchor), statistics.median(whole)
    print(f"12 MP JPEG ({path.stat().st_size / 1e6:.1f} MB, EXIF orientation 6), "
          f"median of {runs}:")
    print(f"  anchor  Image.open().load()           {a * 1000:7.1f} ms")
    print(f"  pipeline intake+EXIF+4 variants       {p * 1000:7.1f} ms   "
          f"ratio {p / a:.2f}x  (goal <= 2.0x)  "
          f"[{'OK' if p / a <= 2.0 else 'MISSED'}]  decodes={last[0].stats['decodes']} "
          f"files={last[0].stats['renders']}")


# Peak RSS from /proc (VmHWM): unlike ru_maxrss it starts afresh at exec, so it
# does not inherit the (large) benchmark process's peak through fork.
_MEMORY_PROBE = """
import json, sys
sys.path.insert(0, {root!r})
from PIL import Image
from server.photos import VariantCache

def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))

before = peak_kb()
if {mode!r} == "bare":
    with Image.open({path!r}) as im:
        im.load()
else:
    VariantCache({work!r}).intake("ab" * 32, {path!r})
print(json.dumps((peak_kb() - before) / 1024))
"""


def peak_mb(mode: str, path: Path, work: Path) -> float:
    code = _MEMORY_PROBE.format(root=str(Path(__file__).resolve().parents[1]), mode=mode,
                                path=str(path), work=str(work / f"mem-{mode}-{path.name}"))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def bench_memory(work: Path) -> None:
    print("Peak memory for a 50 MP image (8640x5760), growth of max RSS in a fresh process:")
    source = camera_jpeg(8640, 5760)
    jpeg = work / "fifty.jpg"
    jpeg.write_bytes(source)
    png = work / "fifty.png"
    with Image.open(jpeg) as im:
        im.save(png, "PNG", compress_level=1)
    for path in (jpeg, png):
        bare, ours = peak_mb("bare", path, work), peak_mb("intake", path, work)
        print(f"  {path.suffix[1:].upper():4s} anchor bare decode {bare:6.0f} MB   "
              f"intake {ours:6.0f} MB   ratio {ours / bare:.2f}x")


def bench_bombs(work: Path, anchor_path: Path, runs: int) -> None:
    from PIL import PngImagePlugin  # noqa: F401 - registered by server.photos already
    import struct
    import zlib

    def png_header(width: int, height: int) -> bytes:
        def chunk(kind: bytes, body: bytes) -> bytes:
            return (struct.pack(">I", len(body)) + kind + body
                    + struct.pack(">I", zlib.crc32(kind + body)))
        # A real bomb: IDAT is 2 MB of zlib that would inflate to gigabytes.
        idat = zlib.compress(b"\x00" * (200 * 1024 * 1024), 9)
        return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height,
                                                                 8, 2, 0, 0, 0))
                + chunk(b"IDAT", idat) + chunk(b"IEND", b""))

    def bare():
        with Image.open(anchor_path) as im:
            im.load()

    anchor = statistics.median(timed(bare) for _ in range(runs))
    config = PhotoConfig()
    print("Refusing PNG bombs (small file, huge header), median of "
          f"{runs}; anchor = bare decode of the 12 MP JPEG, {anchor * 1000:.1f} ms:")
    for width, height in ((30000, 30000), (8000, 7000)):
        bomb = work / f"bomb{width}.png"
        bomb.write_bytes(png_header(width, height))

        def refuse():
            try:
                inspect_photo(bomb, config)
            except PhotoRefused as refused:
                return refused.reason
            raise AssertionError("bomb accepted")

        reason = refuse()
        took = statistics.median(timed(refuse) for _ in range(runs))
        print(f"  {width}x{height} ({bomb.stat().st_size / 1e6:.1f} MB file): "
              f"{took * 1000:6.2f} ms  ({took / anchor:.3f}x anchor; goal < 50 ms "
              f"[{'OK' if took < 0.05 else 'MISSED'}])  -> {reason!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--skip-memory", action="store_true", help="skip the 50 MP probes")
    parser.add_argument("--burst-runs", type=int, default=3,
                        help="fresh servers for the 8-upload burst (0 skips it)")
    parser.add_argument("--budget-mib", type=int, default=1024, help="PHOTO_DECODE_MEMORY")
    parser.add_argument("--only-burst", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-photos-") as tmp:
        work = Path(tmp)
        if args.burst_runs:
            bench_upload_burst(work, args.burst_runs, args.budget_mib << 20)
        if args.only_burst:
            return
        photo = work / "camera12.jpg"
        photo.write_bytes(camera_jpeg(4000, 3000))
        bench_pipeline(photo, args.runs, work)
        bench_bombs(work, photo, args.runs)
        if not args.skip_memory:
            bench_memory(work)


if __name__ == "__main__":
    main()
