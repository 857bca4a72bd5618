#!/usr/bin/env bash
# Opens a radsurv report in headless Chromium (Debian's `chromium` package; no browser download),
# saves screenshots of its top and of key sections, and checks that the risk calculator computes
# the same numbers as `radsurv predict` (scripts/check_calculator.py).
#
# Usage: scripts/screenshot_report.sh [REPORT_DIR] [SHOTS_DIR]
#   REPORT_DIR  folder holding report.html (and model.json); default: the demo's `radsurv-demo/`,
#               or, when that does not exist, the test fixture's report written by
#               `cargo run -p radsurv-report --example fixture_report`.
#   SHOTS_DIR   where the PNG screenshots go; default: REPORT_DIR/screenshots.
# Needs: chromium (apt-get install -y chromium), python3. Not part of CI.
set -euo pipefail
cd "$(dirname "$0")/.."

report_dir=${1:-radsurv-demo}
if [[ ! -f "$report_dir/report.html" ]]; then
  report_dir=${1:-target/report-fixture}
  echo "no report.html found; rendering the test fixture's report into $report_dir"
  cargo run --quiet -p radsurv-report --example fixture_report -- "$report_dir" >/dev/null
fi
shots=${2:-$report_dir/screenshots}
mkdir -p "$shots"
html=$(realpath "$report_dir/report.html")

chromium_bin=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$chromium_bin" ]]; then
  echo "chromium not found: apt-get install -y chromium" >&2
  exit 2
fi

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
chromium_flags=(--headless --no-sandbox --disable-gpu --disable-quic --no-first-run
  --disable-background-networking --disable-component-update --disable-sync
  --hide-scrollbars --user-data-dir="$profile")

shoot() { # name, height, [section id]: a section is shot alone, from a copy of the page without
  # the other sections (headless Chromium takes the shot before it scrolls to a #fragment)
  local page=$html
  if [[ -n "${3:-}" ]]; then
    page="$profile/$1.html"
    sed "s|</body>|<script>document.querySelectorAll('section').forEach(s => { if (s.id !== '$3') s.remove(); });</script></body>|" \
      "$html" >"$page"
  fi
  "$chromium_bin" "${chromium_flags[@]}" --window-size=1280,"$2" \
    --screenshot="$shots/$1.png" "file://$page" >/dev/null 2>&1
  echo "  $shots/$1.png"
}

echo "screenshots:"
shoot top 1600
for section in $(grep -o '<section id="[^"]*"' "$html" | cut -d'"' -f2); do
  shoot "$section" 1400 "$section"
done

# A page that loads anything from the network fails this check: Chromium logs every request it
# cannot serve from the file itself.
log=$("$chromium_bin" "${chromium_flags[@]}" --enable-logging=stderr --v=0 --dump-dom "file://$html" 2>&1 >/dev/null || true)
if grep -qiE "ERR_(NAME|INTERNET|CONNECTION|FILE_NOT_FOUND)|Failed to load resource" <<<"$log"; then
  echo "the report tried to load a missing or network resource:" >&2
  grep -iE "ERR_|Failed to load" <<<"$log" >&2
  exit 1
fi
echo "no failed loads"

python3 scripts/check_calculator.py "$report_dir" --chromium "$chromium_bin"
