#!/usr/bin/env bash
# Builds the release Debian package through Tauri's bundler:
#   target/release/bundle/deb/Safar_<version>_amd64.deb
# (~17 min of both cores on a 2-core machine for the release build, then ~1 min to bundle).
# Install it with `sudo apt-get install ./target/release/bundle/deb/Safar_<version>_amd64.deb`.
# Extra arguments go to `tauri build` (e.g. `--verbose`). docs/packaging.md has the details.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

scripts/setup.sh
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
if [ -d "$CARGO_BIN" ]; then
  export PATH="$CARGO_BIN:$PATH"
fi
TAURI_CLI="${SAFAR_TOOLS_DIR:-$HOME/.cache/safar-tools}/tauri-cli/node_modules/.bin/tauri"
if [ ! -x "$TAURI_CLI" ]; then
  echo "[package] the Tauri CLI is missing ($TAURI_CLI): install npm, then run scripts/setup.sh" >&2
  exit 1
fi
# The build date `safar --version` and About show (build.rs reads it).
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(date +%s)}"
started=$(date +%s)
(cd src-tauri && "$TAURI_CLI" build --bundles deb "$@")
version=$(sed -n 's/^ *"version": "\(.*\)",$/\1/p' src-tauri/tauri.conf.json | head -n 1)
deb="target/release/bundle/deb/Safar_${version}_$(dpkg --print-architecture 2>/dev/null || echo amd64).deb"
if [ ! -f "$deb" ]; then
  echo "[package] the bundler did not leave $deb" >&2
  exit 1
fi
printf '[package] %s (%s bytes, binary %s bytes) in %ss\n' "$deb" "$(stat -c %s "$deb")" \
  "$(stat -c %s target/release/safar)" "$(( $(date +%s) - started ))"
