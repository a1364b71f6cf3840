#!/bin/sh
# Runs in a shell on a developer machine. Builds the camera-like QR frame set (640×480 PNGs of
# freshly minted KP1 tokens plus manifest.json with the expected data) and prints the decoder
# comparison table. Usage: scripts/make-camera-frames.sh [OUT_DIR] (default .munjigi-data/camera-frames)
set -eu
out="${1:-.munjigi-data/camera-frames}"
[ -f out/node/bench-camera.js ] || { echo "먼저 npm run build 를 실행하세요." >&2; exit 2; }
exec node out/node/bench-camera.js --out "$out"
