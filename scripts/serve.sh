#!/usr/bin/env bash
# Serves dist/ at http://127.0.0.1:PORT/ (default 8080) until Ctrl-C. Usage: scripts/serve.sh [port]
# Build dist/ first with scripts/build-web.sh (or use `make run`, which does both).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

PORT="${1:-8080}"

step "serve dist/"
[[ "$PORT" =~ ^[0-9]+$ ]] || fail "port must be a number, got '$PORT'"
[ -f dist/index.html ] || fail "dist/index.html is missing; run scripts/build-web.sh first"
command -v python3 >/dev/null || fail "python3 is not on PATH"
! port_open "$PORT" || fail "port $PORT is already in use; pass another: scripts/serve.sh PORT (make run PORT=...)"
echo "    http://127.0.0.1:$PORT/  (Ctrl-C stops)"

# A few lines of python instead of `python3 -m http.server` to be sure of two headers:
# - Content-Type application/wasm, which WebAssembly.instantiateStreaming requires (http.server
#   takes types from the OS mime table, which a machine may lack or get wrong);
# - Cache-Control no-store, so a rebuilt app is never hidden behind the browser's heuristic cache;
# - Content-Encoding gzip with the precompressed FILE.gz that build-web.sh writes, when accepted.
# exec: the server gets this script's PID, so `kill $!` from a caller stops it.
exec python3 - "$PORT" <<'PY'
import functools, http.server, io, os, sys

class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".css": "text/css",
        ".html": "text/html",
        ".json": "application/json",
        ".svg": "image/svg+xml",
    }

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        # build-web.sh writes FILE.gz beside every text and wasm file: send it, compressed, to a
        # client that accepts gzip (a 2.9 MB wasm is ~0.66 MB on the wire).
        path = self.translate_path(self.path)
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if accepts_gzip and os.path.isfile(path) and os.path.isfile(path + ".gz"):
            with open(path + ".gz", "rb") as compressed:
                body = compressed.read()
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(path))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Vary", "Accept-Encoding")
            self.end_headers()
            return io.BytesIO(body)
        return super().send_head()

port = int(sys.argv[1])
handler = functools.partial(Handler, directory="dist")
with http.server.ThreadingHTTPServer(("127.0.0.1", port), handler) as server:
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
PY
