#!/usr/bin/env bash
# Everything CI checks, in order, stopping at the first failure:
# setup, formatting, clippy, unit/integration tests, the end-to-end tests against a
# freshly built app under Xvfb, then the Debian package built from the debug profile,
# installed, run and removed (scripts/package-test.sh, ~1.5 min here: docs/packaging.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

stage() { printf '\n==> %s\n' "$*"; }
started=$(date +%s)
trap 'status=$?; if [ $status -ne 0 ]; then printf "\n==> FAILED (exit %s) after %ss\n" "$status" "$(( $(date +%s) - started ))"; fi' EXIT

stage "setup: system packages and tools (scripts/setup.sh)"
scripts/setup.sh
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
if [ -d "$CARGO_BIN" ]; then
  export PATH="$CARGO_BIN:$PATH"
fi

stage "format: cargo fmt --all -- --check"
cargo fmt --all -- --check

stage "lint: cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets -- -D warnings

stage "tests: cargo test --workspace --exclude safar-e2e"
cargo test --workspace --exclude safar-e2e

stage "build the app for the end-to-end tests: cargo build -p safar"
cargo build -p safar

stage "end-to-end: cargo test -p safar-e2e -- --test-threads=1 (Xvfb + tauri-driver)"
cargo test -p safar-e2e -- --test-threads=1

stage "package: the .deb (debug profile) installed, run and removed (scripts/package-test.sh)"
scripts/package-test.sh

printf '\n==> all stages passed in %ss\n' "$(( $(date +%s) - started ))"
