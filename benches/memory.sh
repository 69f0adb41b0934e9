#!/usr/bin/env bash
# Memory benchmark: peak memory of `metodist build` at two sizes of the same generated practice
# bank, and how much it grows. The build should need memory for the metadata of the practices
# (titles, URLs, tags…), not for their texts: the peak must grow far slower than the corpus.
#
#   bash benches/memory.sh [SMALL LARGE]      default: 10000 100000
#
# Corpora come from benches/gen_corpus.py (one department, ≈10 KB of Markdown per
# practice) and everything is written to /dev/shm/metodist-bench. For each size it prints the
# wall time and the peak RSS of one build (`/usr/bin/time -f %M`), and, sampled every 0.2 s from
# /proc, the peak of anonymous memory (the heap) and of mapped files (tantivy maps its segment
# files while it merges them; on /dev/shm they are counted in RSS). Then the ratio of the peaks.
# Times here are of single builds on a shared machine; benches/build.sh gives the best of 3.
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-10000}
large=${2:-100000}
work=/dev/shm/metodist-bench
mkdir -p "$work"
cargo build --release --quiet
bin="$PWD/target/release/metodist"
gen="$PWD/benches/gen_corpus.py"

measure() { # n: one build; prints a line; sets $peak (KB)
  local n=$1 corpus="$work/c$1" out="$work/mem-out-$1"
  [ -d "$corpus/content" ] || python3 "$gen" "$corpus" "$n" >/dev/null
  rm -rf "$out"
  /usr/bin/time -f '%e %M' -o "$work/mem-time.txt" "$bin" build --root "$corpus" --out "$out" >/dev/null 2>&1 &
  local outer=$! pid="" anon=0 mapped=0 a m
  while [ -z "$pid" ] && kill -0 "$outer" 2>/dev/null; do pid=$(pgrep -P "$outer" -x metodist || true); sleep 0.02; done
  while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do
    read -r a m < <(awk '/^RssAnon/ { a = $2 } /^RssFile|^RssShmem/ { m += $2 } END { print a + 0, m + 0 }' "/proc/$pid/status" 2>/dev/null || echo "0 0")
    [ "$a" -gt "$anon" ] && anon=$a
    [ "$m" -gt "$mapped" ] && mapped=$m
    sleep 0.2
  done
  wait "$outer"
  local wall rss
  read -r wall rss <"$work/mem-time.txt"
  printf '%7d practices: %6.2f s, peak RSS %5d MB (sampled peaks: anonymous %4d MB, mapped files %4d MB)\n' \
    "$n" "$wall" $((rss / 1024)) $((anon / 1024)) $((mapped / 1024))
  peak=$rss
  rm -rf "$out"
}

echo "metodist $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, $(date -u '+%Y-%m-%d %H:%M UTC'), load $(cut -d' ' -f1-3 /proc/loadavg)"
measure "$small"; p1=$peak
measure "$large"; p2=$peak
awk -v a="$p1" -v b="$p2" -v s="$small" -v l="$large" \
  'BEGIN { printf "corpus x%.0f -> peak RSS x%.1f\n", l / s, b / a }'
