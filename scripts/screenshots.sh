#!/usr/bin/env bash
# `npm run screenshots`: the README's pictures of the pages, written by the Chromium tests of the
# pages (SCREENSHOTS=1) to docs/screenshots/<page>.png, then shrunk with pngquant (Debian's package).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/node.sh
SCREENSHOTS=1 npx vitest run test/web/
if ! command -v pngquant >/dev/null; then
  echo "pngquant is not installed (apt-get install pngquant): the screenshots are left unshrunk" >&2
  exit 0
fi
for file in docs/screenshots/*.png; do
  pngquant --quality 60-85 --speed 1 --strip --force --skip-if-larger --output "$file" "$file" || true
done
du -ch docs/screenshots/*.png | tail -1
