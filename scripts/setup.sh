#!/usr/bin/env bash
# Installs what building Safar and running its end-to-end tests need, and nothing
# that is already there. Safe to run again and again (CI runs it on every build).
#
#   - Debian/Ubuntu packages: WebKitGTK 4.1 + GTK 3 headers (Tauri 2), Xvfb + xauth
#     (a virtual display for the tests), webkit2gtk-driver (WebKitWebDriver), a font
#     covering Latin with ʻ ʼ and Cyrillic with ў қ ғ ҳ (fonts-dejavu-core), and pdftotext
#     and qpdf, with which the tests read back and check the PDFs Safar writes, and
#     LibreOffice Calc without GUI (~15 s to install), which reads back exported
#     spreadsheets in the OWASP test;
#   - tauri-driver 2.x (cargo install; crates.io also serves 3.0 alphas, hence ^2);
#   - the Tauri CLI 2.x for packaging (scripts/package.sh, scripts/package-test.sh): the
#     prebuilt binary from the npm registry (`npm install @tauri-apps/cli@^2`, ~3 s) into
#     $SAFAR_TOOLS_DIR (default ~/.cache/safar-tools), not `cargo install tauri-cli`, which
#     compiles ~700 crates (~34 min on a 2-core machine). Skipped, with a note, without npm.
set -euo pipefail

say() { printf '[setup] %s\n' "$*"; }

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libgtk-3-dev libayatana-appindicator3-dev librsvg2-dev
  libssl-dev pkg-config build-essential curl file xvfb xauth webkit2gtk-driver
  fonts-dejavu-core poppler-utils qpdf libreoffice-calc-nogui x11-utils
)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO=(sudo)
  fi
fi

# --- system packages -------------------------------------------------------------
if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    if [ "$status" != "installed" ]; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    say "system packages: all ${#APT_PACKAGES[@]} present"
  else
    if [ "$(id -u)" -ne 0 ] && [ "${#SUDO[@]}" -eq 0 ]; then
      say "missing packages: ${missing[*]}"
      say "not root and no sudo: install them yourself, then run this again"
      exit 1
    fi
    say "installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 update
    "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends "${missing[@]}"
  fi
else
  say "no dpkg-query: not a Debian/Ubuntu system; install the equivalents of:"
  say "  ${APT_PACKAGES[*]}"
fi

# --- Rust toolchain --------------------------------------------------------------
CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
if [ -d "$CARGO_BIN" ]; then
  export PATH="$CARGO_BIN:$PATH"
fi
if ! command -v cargo >/dev/null 2>&1; then
  say "cargo is missing: install Rust (https://rustup.rs, Rust >= 1.90 with rustfmt and"
  say "clippy), make sure cargo is on PATH, then run this again"
  exit 1
fi
say "cargo: $(cargo --version)"
for component in rustfmt clippy; do
  if ! cargo "${component/rustfmt/fmt}" --version >/dev/null 2>&1; then
    if command -v rustup >/dev/null 2>&1; then
      say "installing the $component component"
      rustup component add "$component"
    else
      say "cargo $component is missing and rustup is not available: install it, then run this again"
      exit 1
    fi
  fi
done

# --- tauri-driver (WebDriver proxy between the tests and WebKitWebDriver) --------
tauri_driver_version() {
  local bin
  bin=$(command -v tauri-driver 2>/dev/null || true)
  [ -n "$bin" ] || return 1
  # tauri-driver has no --version; ask cargo what it installed, or accept any binary
  # that is not a 3.x install.
  local listed
  listed=$(cargo install --list 2>/dev/null | sed -n 's/^tauri-driver v\([0-9][^:]*\):$/\1/p')
  if [ -n "$listed" ]; then
    echo "$listed"
  else
    echo "unknown (found at $bin)"
  fi
}
current=$(tauri_driver_version || true)
case "$current" in
  "")
    say "installing tauri-driver 2.x (cargo install tauri-driver --version ^2 --locked, ~1-3 min)"
    cargo install tauri-driver --version '^2' --locked
    ;;
  2.*|unknown*)
    say "tauri-driver: $current"
    ;;
  *)
    say "tauri-driver $current is not 2.x: installing 2.x"
    cargo install tauri-driver --version '^2' --locked --force
    ;;
esac

# --- Tauri CLI (bundler) for the Debian package --------------------------------
TOOLS_DIR="${SAFAR_TOOLS_DIR:-$HOME/.cache/safar-tools}"
TAURI_CLI="$TOOLS_DIR/tauri-cli/node_modules/.bin/tauri"
tauri_cli_version=$("$TAURI_CLI" --version 2>/dev/null | sed -n 's/^tauri-cli \([0-9][^ ]*\)$/\1/p' || true)
case "$tauri_cli_version" in
  2.*)
    say "tauri-cli: $tauri_cli_version ($TAURI_CLI)"
    ;;
  *)
    if ! command -v npm >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && { [ "$(id -u)" -eq 0 ] || [ "${#SUDO[@]}" -gt 0 ]; }; then
      # A machine without Node.js: Debian's own nodejs + npm (the CLI needs Node 18+).
      say "installing nodejs and npm (Debian packages) for the Tauri CLI"
      export DEBIAN_FRONTEND=noninteractive
      "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 update
      "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends nodejs npm
    fi
    if command -v npm >/dev/null 2>&1; then
      say "installing the Tauri CLI 2.x from the npm registry into $TOOLS_DIR/tauri-cli"
      mkdir -p "$TOOLS_DIR/tauri-cli"
      npm install --no-audit --no-fund --prefix "$TOOLS_DIR/tauri-cli" '@tauri-apps/cli@^2'
      say "tauri-cli: $("$TAURI_CLI" --version)"
    else
      say "npm is missing: the Tauri CLI (packaging only) is not installed; install Node.js 18+"
      say "with npm and run this again before scripts/package.sh or scripts/package-test.sh"
    fi
    ;;
esac

for tool in tauri-driver WebKitWebDriver Xvfb; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    say "$tool is still missing after setup"
    exit 1
  fi
done
say "ready"
