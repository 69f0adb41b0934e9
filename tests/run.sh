#!/usr/bin/env bash
# The whole test suite: formatting and lints (rustfmt, clippy with warnings as errors), Rust unit
# and integration tests, then the browser tests (Node + Debian's Chromium), installing what is
# missing. `.ci/run` calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== cargo fmt --check =="
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
cargo fmt --check

echo "== cargo clippy =="
cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
cargo clippy --release --all-targets --quiet -- -D warnings 2>&1

echo "== cargo test =="
cargo test --release --all-targets 2>&1

if [ -d tests/browser ]; then
  echo "== browser tests =="
  if ! command -v chromium >/dev/null 2>&1; then
    echo "Chromium не найден: устанавливаю из пакетов Debian…"
    export DEBIAN_FRONTEND=noninteractive
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq chromium >/dev/null
  fi
  (cd tests/browser && { [ -d node_modules ] || npm ci --no-audit --no-fund --silent; })
  cargo build --release --quiet
  node --test tests/browser/ 2>&1
fi
