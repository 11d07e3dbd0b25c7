#!/usr/bin/env bash
# Opens Safar from source: installs what is missing, then `cargo run`.
# Arguments go to the app, e.g. `scripts/run.sh --data-dir /tmp/safar-demo`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
if [ -d "$CARGO_BIN" ]; then
  export PATH="$CARGO_BIN:$PATH"
fi
exec cargo run -p safar -- "$@"
