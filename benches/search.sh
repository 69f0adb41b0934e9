#!/usr/bin/env bash
# Search benchmark: metodist's browser search against Pagefind on the same generated practice
# bank (10 000 practices, one department), plus index sizes and the build time of the search
# stage.
#
#   bash benches/search.sh                 everything, 10 000 practices
#   N=2000 REPS=3 bash benches/search.sh   another size / fewer runs
#
# Everything is written to $WORK (default /dev/shm/metodist-search-bench: this machine's disk
# discards deleted blocks, so repeated builds on disk slow down):
#   c$N/            the corpus (../shared/bench/gen_corpus.py), generated once
#   out/            metodist build (best of 3 builds is reported)
#   pagefind-npm/   npm install pagefind@$PAGEFIND_VERSION (ships its binary), once
#   pf/             a copy of out/rayon-01 without metodist's search/ folder, indexed by Pagefind
#                   twice: pf/pagefind/ (the whole site, Pagefind's default) and
#                   pf/pagefind-practices/ (only the practice pages, the documents metodist
#                   indexes); pf/pagefind-search/ and pf/pagefind-practices-search/ are minimal
#                   pages with Pagefind's default UI
# then benches/search.mjs measures bytes and times in Chromium (/usr/bin/chromium or $CHROMIUM)
# and prints the tables; the raw figures are in $WORK/search-results.json.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
N=${N:-10000}
REPS=${REPS:-5}
PF_REPS=${PF_REPS:-2}
PAGEFIND_VERSION=${PAGEFIND_VERSION:-1.6.0}
WORK=${WORK:-/dev/shm/metodist-search-bench}
dept=rayon-01
mkdir -p "$WORK"

# --- tools -------------------------------------------------------------------------------------
cargo build --release --quiet
bin="$repo/target/release/metodist"
if [ ! -f tests/browser/node_modules/playwright-core/package.json ]; then
  (cd tests/browser && npm ci --no-audit --no-fund --loglevel=error)
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  apt-get update -qq && apt-get install -y -qq chromium >/dev/null
fi
pagefind="$WORK/pagefind-npm/node_modules/.bin/pagefind"
if [ ! -x "$pagefind" ]; then
  mkdir -p "$WORK/pagefind-npm"
  (cd "$WORK/pagefind-npm" && { [ -f package.json ] || echo '{"private":true}' >package.json; } &&
    npm i --no-audit --no-fund --loglevel=error "pagefind@$PAGEFIND_VERSION")
fi

# --- corpus --------------------------------------------------------------------------------------
corpus="$WORK/c$N"
if [ ! -d "$corpus/content" ]; then
  python3 "$repo/../shared/bench/gen_corpus.py" "$corpus" "$N" >/dev/null
fi

# --- builds: 3 times each, best total ------------------------------------------------------------
echo "== Build: $N practices, metodist build (3 runs, best total) =="
best=""
for i in 1 2 3; do
  rm -rf "$WORK/out"
  start=$(date +%s.%N)
  METODIST_TIMINGS=1 "$bin" build --root "$corpus" --out "$WORK/out" >/dev/null 2>"$WORK/build-$i.log"
  end=$(date +%s.%N)
  wall=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  search=$(sed -n 's/^\[время\] search index+export: \([0-9.]*\).*/\1/p' "$WORK/build-$i.log")
  render=$(sed -n 's/^\[время\] render+index: \([0-9.]*\).*/\1/p' "$WORK/build-$i.log")
  model=$(sed -n 's/^\[время\] load+validate+model: \([0-9.]*\).*/\1/p' "$WORK/build-$i.log")
  printf '  run %d: wall %6.2f s   load+validate+model %6.2f s   search index+export %6.2f s   render+index (all stages, cumulative) %6.2f s\n' \
    "$i" "$wall" "$model" "$search" "$render"
  if [ -z "$best" ] || awk -v a="$wall" -v b="${best%% *}" 'BEGIN { exit !(a < b) }'; then
    best="$wall $search $render"
  fi
done
read -r wall search render <<<"$best"
awk -v w="$wall" -v s="$search" -v r="$render" 'BEGIN {
  printf "  best: total %.2f s (wall), render+index %.2f s, of which search index+export %.2f s = %.1f %% of the build\n", w, r, s, 100 * s / w
  printf "  without the search stage: %.2f s -> the index makes the build %.0f %% slower (target <= 30 %%, i.e. search <= 23 %% of the total)\n", w - s, 100 * s / (w - s)
}'
echo

# --- Pagefind --------------------------------------------------------------------------------------
echo "== Pagefind $PAGEFIND_VERSION on the same pages =="
rm -rf "$WORK/pf"
cp -r "$WORK/out/$dept" "$WORK/pf"
rm -rf "$WORK/pf/search" # metodist's search page and export: not content
pf_run() { # output-subdir, extra args...
  local sub=$1; shift
  local start end
  start=$(date +%s.%N)
  "$pagefind" --site "$WORK/pf" --output-subdir "$sub" "$@" >"$WORK/$sub.log" 2>&1
  end=$(date +%s.%N)
  printf '  pagefind --output-subdir %-20s %s: %s, %.1f s\n' "$sub" "$*" \
    "$(grep -o 'Indexed [0-9]* pages' "$WORK/$sub.log" | head -1)" "$(awk -v a="$start" -v b="$end" 'BEGIN { print b - a }')"
}
pf_run pagefind
pf_run pagefind-practices --glob 'practices/*/index.html'
for sub in pagefind pagefind-practices; do
  mkdir -p "$WORK/pf/$sub-search"
  cat >"$WORK/pf/$sub-search/index.html" <<EOF
<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Поиск (Pagefind)</title>
<link href="../$sub/pagefind-ui.css" rel="stylesheet">
<script src="../$sub/pagefind-ui.js"></script>
</head>
<body>
<div id="search"></div>
<script>window.addEventListener('DOMContentLoaded', () => { new PagefindUI({ element: '#search' }); });</script>
</body>
</html>
EOF
done
echo

# --- sizes -----------------------------------------------------------------------------------------
echo "== Index size on disk =="
size() { # label, dir
  printf '  %-58s %12s bytes  %6s  %6d files\n' "$1" "$(du -sb "$2" | cut -f1)" "$(du -sh "$2" | cut -f1)" "$(find "$2" -type f | wc -l)"
}
size "metodist $dept/search/ (browser export, published)" "$WORK/out/$dept/search"
size "  of which t/ (term chunks)" "$WORK/out/$dept/search/t"
size "  of which d/ (result fragments)" "$WORK/out/$dept/search/d"
printf '  %-58s %12s bytes\n' "  meta.json / facets.json / index.html" \
  "$(stat -c %s "$WORK/out/$dept/search/meta.json") / $(stat -c %s "$WORK/out/$dept/search/facets.json") / $(stat -c %s "$WORK/out/$dept/search/index.html")"
size "metodist search/ (region export: chunks only, fragments shared)" "$WORK/out/search"
size "metodist .search-index/ (tantivy, not published)" "$WORK/out/.search-index"
size "Pagefind pf/pagefind/ (whole site)" "$WORK/pf/pagefind"
size "  of which fragment/" "$WORK/pf/pagefind/fragment"
size "  of which index/" "$WORK/pf/pagefind/index"
size "Pagefind pf/pagefind-practices/ (practice pages only)" "$WORK/pf/pagefind-practices"
gz() { find "$1" -type f -print0 | xargs -0 -n 200 sh -c 'for f; do gzip -6 -c "$f" | wc -c; done' _ | awk '{ s += $1 } END { print s }'; }
printf '  %-58s %12s bytes\n' "metodist $dept/search/ if every file were gzipped (-6)" "$(gz "$WORK/out/$dept/search")"
echo "  (Pagefind's index/ and fragment/ files are gzipped already)"
echo

# --- browser ---------------------------------------------------------------------------------------
node benches/search.mjs --work "$WORK" --reps "$REPS" --pf-reps "$PF_REPS"
