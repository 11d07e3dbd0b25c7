#!/usr/bin/env bash
# Opens Safar from source: installs what is missing, then `cargo run`.
# Arguments go to the app: `scripts/run.sh -- --data-dir /tmp/safar-demo` (as the README
# writes it) and `scripts/run.sh --data-dir /tmp/safar-demo` do the same. A leading `--`
# only separates this script's arguments (it has none) from the app's, and is dropped:
# passed on, it would reach the app's parser as a subcommand named `--data-dir`.
#
# SAFAR_RUN_DRY=1 prints the command it would run, one argument a line, and runs nothing
# (no setup, no build, no window): tests/it/readme.rs checks the README's commands so.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "${1-}" = "--" ]; then
  shift
fi
if [ -n "${SAFAR_RUN_DRY:-}" ]; then
  printf '%s\n' cargo run -p safar -- "$@"
  exit 0
fi

scripts/setup.sh
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
if [ -d "$CARGO_BIN" ]; then
  export PATH="$CARGO_BIN:$PATH"
fi
exec cargo run -p safar -- "$@"
