#!/usr/bin/env bash
# Runs on a developer machine (Debian: apt-get install espeak-ng sox). Regenerates the kiosk's
# spoken feedback in resources/voice: one short 16-bit mono 22.05 kHz WAV per kind of answer,
# silence trimmed and loudness normalised so every clip plays at the same level.
# Usage: bash scripts/make-voice-clips.sh [OUT_DIR]   (npm run voice:clips)
set -euo pipefail

out_dir="${1:-$(cd "$(dirname "$0")/.." && pwd)/resources/voice}"
for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "make-voice-clips: $tool 이(가) 없습니다. apt-get install espeak-ng sox 후 다시 실행하세요." >&2; exit 2; }
done
mkdir -p "$out_dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# name | words. Speed 175 wpm keeps each clip near one second; the kiosk shows the same words.
clips=(
  "ok|인증되었습니다"
  "duplicate|이미 인증되었습니다"
  "refused|다시 확인해 주세요"
)

for entry in "${clips[@]}"; do
  name="${entry%%|*}"
  text="${entry#*|}"
  espeak-ng -v ko -s 175 -p 50 -a 180 -w "$tmp/$name.raw.wav" "$text"
  # Trim leading/trailing silence, 10 ms fades against clicks, peak-normalise to -1 dBFS.
  # -R: repeatable dither, so regenerating gives byte-identical clips.
  # (Two passes: sox only knows the length for the fade-out once the silence is gone.)
  sox -R "$tmp/$name.raw.wav" "$tmp/$name.trim.wav" silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse
  sox -R "$tmp/$name.trim.wav" -r 22050 -c 1 -b 16 "$out_dir/$name.wav" fade t 0.01 0 0.01 norm -1
  printf '%-10s %s  (%ss)\n' "$name" "$out_dir/$name.wav" "$(soxi -D "$out_dir/$name.wav")"
done
