#!/usr/bin/env python3
"""FILE.gz beside each FILE, compressed with Zopfli: a standard gzip stream (any browser or
`gzip -d` reads it) about 4% smaller than `gzip -9` on the app's wasm. serve.sh sends these files
with `Content-Encoding: gzip`, and the size budgets in build-web.sh and build-embed.sh measure
them, so a budget is the bytes a visitor downloads.

    .venv/bin/python scripts/gzip_best.py [--print-bytes] FILE...

A FILE.gz newer than FILE is kept (the build writes every FILE before compressing it, so an
older .gz is stale). With --print-bytes, prints the summed size of the .gz files in bytes.
The zopfli package is installed into .venv/ by scripts/setup.sh (scripts/build-requirements.txt).
"""
import os
import sys

try:
    import zopfli.gzip
except ImportError:
    sys.exit("error: the Python package zopfli is missing from .venv/; run scripts/setup.sh "
             "(it installs scripts/build-requirements.txt)")

# More iterations shrink a large file a little more for much more time: 15 (Zopfli's default)
# takes ~6 s on the app's 1.9 MB wasm; the tail beyond it saves well under 0.1%.
ITERATIONS = 15


def compress(path):
    target = path + ".gz"
    if os.path.exists(target) and os.path.getmtime(target) >= os.path.getmtime(path):
        return os.path.getsize(target)
    with open(path, "rb") as source:
        data = source.read()
    # mtime 0 and no file name: the same input gives the same bytes on every build.
    compressed = zopfli.gzip.compress(data, numiterations=ITERATIONS)
    with open(target + ".tmp", "wb") as out:
        out.write(compressed)
    os.replace(target + ".tmp", target)
    return len(compressed)


def main(args):
    print_bytes = "--print-bytes" in args
    paths = [arg for arg in args if arg != "--print-bytes"]
    total = 0
    for path in paths:
        try:
            total += compress(path)
        except OSError as error:
            sys.exit(f"error: cannot compress {path}: {error}")
    if print_bytes:
        print(total)


if __name__ == "__main__":
    main(sys.argv[1:])
