#!/usr/bin/env bash
# Search benchmark: metodist's browser search against Pagefind on the same generated practice
# bank (10 000 practices, one department), plus index sizes and the build time of the search
# stage.
#
#   bash benches/search.sh                 everything, 10 000 practices
#   N=2000 REPS=3 bash benches/search.sh   another size / fewer runs
#   BUILD_ONLY=1 bash benches/search.sh    only the build times (with / without the search stage)
#
# Everything is written to $WORK (default /dev/shm/metodist-search-bench: this machine's disk
# discards deleted blocks, so repeated builds on disk slow down):
#   c$N/            the corpus (benches/gen_corpus.py), generated once
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
echo "metodist $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src themes 2>/dev/null || echo ' (src/themes modified)'), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC')"

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
  python3 "$repo/benches/gen_corpus.py" "$corpus" "$N" >/dev/null
fi

# --- the same corpus with `search: false` in metodist.yaml, for the build-time comparison ----------
nosearch="$WORK/c$N-nosearch"
if [ ! -d "$nosearch/content" ]; then
  mkdir -p "$nosearch" && cp -al "$corpus/content" "$nosearch/content"
fi
[ -f "$corpus/metodist.yaml" ] && grep -v '^search:' "$corpus/metodist.yaml" >"$nosearch/metodist.yaml" || : >"$nosearch/metodist.yaml"
echo "search: false" >>"$nosearch/metodist.yaml"

# --- builds: 3 times each, interleaved (with, without, with, ...), best wall time -------------
# This machine's timings swing with whatever else runs on it, so the two kinds of build take
# turns, and the CPU time (user + sys, less sensitive to other load than wall time) is shown too.
one_build() { # label, root: one build; prints it; sets $r to "wall cpu search render model"
  local label=$1 root=$2
  rm -rf "$WORK/out"
  /usr/bin/time -f '%e %U %S' -o "$WORK/time.txt" env METODIST_TIMINGS=1 "$bin" build --root "$root" --out "$WORK/out" >/dev/null 2>"$WORK/build.log"
  local wall user sys cpu search render model
  read -r wall user sys <"$WORK/time.txt"
  cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
  search=$(sed -n 's/^\[время\] search index+export: \([0-9.]*\).*/\1/p' "$WORK/build.log")
  render=$(sed -n 's/^\[время\] render+index: \([0-9.]*\).*/\1/p' "$WORK/build.log")
  model=$(sed -n 's/^\[время\] load+validate+model: \([0-9.]*\).*/\1/p' "$WORK/build.log")
  printf '  %-15s wall %5.2f s  cpu %5.2f s   load+validate+model %5.2f s   search index+export %5s s   render+index (cumulative) %5.2f s\n' \
    "$label" "$wall" "$cpu" "${model:-0}" "${search:--}" "${render:-0}"
  if [ "$label" = "with search" ]; then sed -n 's/^\[время\]   /      /p' "$WORK/build.log"; fi
  r="$wall $cpu ${search:-0} ${render:-0} ${model:-0}"
}
better() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(b == "" || a < b) }'; }
echo "== Build: $N practices, 3 runs each, best wall time (load before: $(cut -d' ' -f1-3 /proc/loadavg)) =="
best_with="" best_without="" cpu_with="" cpu_without=""
for i in 1 2 3; do
  one_build "without search" "$nosearch"
  read -r w c _ <<<"$r"
  better "$w" "${best_without%% *}" && best_without=$r
  better "$c" "$cpu_without" && cpu_without=$c
  one_build "with search" "$corpus" # last, so that $WORK/out is the product's build
  read -r w c _ <<<"$r"
  better "$w" "${best_with%% *}" && best_with=$r
  better "$c" "$cpu_with" && cpu_with=$c
done
read -r wall _ search render model <<<"$best_with"
awk -v w="$wall" -v s="$search" -v r="$render" -v n="${best_without%% *}" -v cw="$cpu_with" -v cn="$cpu_without" 'BEGIN {
  printf "  best with search:    %.2f s wall, %.2f s cpu; its search stage (index+export, run beside the page rendering) took %.2f s = %.0f %% of that wall time\n", w, cw, s, 100 * s / w
  if (n != "") {
    printf "  best without search: %.2f s wall, %.2f s cpu\n", n, cn
    printf "  -> the search index makes the build %.0f %% slower in wall time (%.0f %% more cpu time); target <= 30 %%\n", 100 * (w - n) / n, 100 * (cw - cn) / cn
  }
}'
echo "  (load after: $(cut -d' ' -f1-3 /proc/loadavg))"
echo

[ -n "${BUILD_ONLY:-}" ] && exit 0

# --- Pagefind --------------------------------------------------------------------------------------
echo "== Pagefind $PAGEFIND_VERSION on the same pages =="
rm -rf "$WORK/pf"
cp -r "$WORK/out/$dept" "$WORK/pf"
rm -rf "$WORK/pf/search" # metodist's search page and export: not content
pf_run() { # output-subdir, extra args...
  local sub=$1; shift
  local start end
  start=$(date +%s.%N)
  if ! "$pagefind" --site "$WORK/pf" --output-subdir "$sub" "$@" >"$WORK/$sub.log" 2>&1; then
    echo "pagefind failed (killed for lack of memory? it needs ~1.5 GB; see dmesg): $WORK/$sub.log" >&2
    tail -3 "$WORK/$sub.log" >&2
    exit 1
  fi
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
