#!/usr/bin/env bash
# Build benchmark: metodist against Hugo on the same generated practice bank.
#
#   bash benches/build.sh [N ...]        default: 10000 100000
#
# Corpora come from benches/gen_corpus.py and everything is written to /dev/shm (this
# machine's disk discards deleted blocks, so repeated builds on disk slow down run after run).
# For each N it prints wall time and peak RSS of: metodist build (with the search index and its
# browser export), and Hugo on the same pages (if `hugo` is installed: apt-get install hugo).
# Each build runs 3 times; the best time and the largest peak RSS are reported.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@"); [ ${#sizes[@]} -eq 0 ] && sizes=(10000 100000)
work=/dev/shm/metodist-bench
mkdir -p "$work"
cargo build --release --quiet
bin="$PWD/target/release/metodist"
gen="$PWD/benches/gen_corpus.py"

measure() { # label, command...
  local label=$1; shift
  local best=999999 peak=0 out el rss
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %M' -o "$work/time.txt" "$@" >/dev/null 2>&1
    out=$(tail -1 "$work/time.txt")
    el=${out% *}; rss=${out#* }
    best=$(awk -v a="$best" -v b="$el" 'BEGIN { print (b < a) ? b : a }')
    [ "$rss" -gt "$peak" ] && peak=$rss
  done
  printf '%-28s %8.2f s %8d MB\n' "$label" "$best" $((peak / 1024))
}

for n in "${sizes[@]}"; do
  corpus="$work/c$n"
  if [ ! -d "$corpus/content" ]; then
    python3 "$gen" "$corpus" "$n" --hugo >/dev/null
  fi
  echo "== $n practices =="
  measure "metodist build" "$bin" build --root "$corpus" --out "$work/out-$n"
  if command -v hugo >/dev/null; then
    measure "hugo" hugo --quiet -s "$corpus/hugo" -d "$work/hugo-$n"
  fi
  echo "pages: $(find "$work/out-$n" -name '*.html' | wc -l) (metodist), $( [ -d "$work/hugo-$n" ] && find "$work/hugo-$n" -name '*.html' | wc -l || echo -) (hugo)"
done
