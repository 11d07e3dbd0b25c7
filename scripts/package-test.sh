#!/usr/bin/env bash
# The Debian package, end to end on this machine: builds it from the DEBUG profile (the
# same bundler configuration as scripts/package.sh, without the ~17 min release build),
# checks what it declares, installs it with apt, runs the installed `safar --version`,
# `--help` and `init` in a temporary home, opens the installed window under Xvfb (it must
# stay up) and drives it through its set-up screen (the e2e test, SAFAR_BIN=/usr/bin/safar),
# then removes the package and checks that the user's data stayed.
#
# Needs root or sudo (apt-get), Xvfb, tauri-driver and the Tauri CLI: scripts/setup.sh.
# If a `safar` package was installed before, it is replaced and left removed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

say() { printf '[package-test] %s\n' "$*"; }
fail() { printf '[package-test] FAILED: %s\n' "$*" >&2; exit 1; }
started=$(date +%s)

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
if [ -d "$CARGO_BIN" ]; then
  export PATH="$CARGO_BIN:$PATH"
fi
TAURI_CLI="${SAFAR_TOOLS_DIR:-$HOME/.cache/safar-tools}/tauri-cli/node_modules/.bin/tauri"
[ -x "$TAURI_CLI" ] || fail "the Tauri CLI is missing ($TAURI_CLI): run scripts/setup.sh"
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || fail "not root and no sudo: apt-get cannot install the package"
  SUDO=(sudo)
fi

tmp=$(mktemp -d /tmp/safar-package-test.XXXXXX)
installed=0
xvfb_pid=""
app_pid=""
cleanup() {
  # Only what this script started, by pid.
  if [ -n "$app_pid" ]; then kill "$app_pid" 2>/dev/null || true; fi
  if [ -n "$xvfb_pid" ]; then kill "$xvfb_pid" 2>/dev/null || true; fi
  if [ "$installed" -eq 1 ]; then
    "${SUDO[@]}" apt-get -o DPkg::Lock::Timeout=300 purge -y safar >/dev/null 2>&1 || true
  fi
  rm -rf "$tmp"
}
trap cleanup EXIT

# --- build ------------------------------------------------------------------------
say "building the package from the debug profile: tauri build --debug --bundles deb"
(cd src-tauri && "$TAURI_CLI" build --debug --bundles deb)
version=$(sed -n 's/^ *"version": "\(.*\)",$/\1/p' src-tauri/tauri.conf.json | head -n 1)
deb="target/debug/bundle/deb/Safar_${version}_$(dpkg --print-architecture).deb"
[ -f "$deb" ] || fail "the bundler did not leave $deb"
say "built $deb ($(stat -c %s "$deb") bytes) after $(( $(date +%s) - started ))s"

# --- what the package declares ------------------------------------------------------
control=$(dpkg-deb -f "$deb")
depends=$(dpkg-deb -f "$deb" Depends)
for dep in libwebkit2gtk-4.1-0 libgtk-3-0; do
  [ "$(tr ',' '\n' <<<"$depends" | sed 's/^ *//; s/ .*//' | grep -cx "$dep")" -eq 1 ] \
    || fail "Depends must name $dep once: $depends"
done
grep -q '^Package: safar$' <<<"$control" || fail "package name: $control"
files=$(dpkg-deb -c "$deb" | awk '{print $6}')
grep -qx './usr/bin/safar' <<<"$files" || grep -qx 'usr/bin/safar' <<<"$files" || fail "no /usr/bin/safar"
for size in 32x32 64x64 128x128 256x256 512x512; do
  grep -Eq "^(\./)?usr/share/icons/hicolor/$size/apps/safar.png$" <<<"$files" || fail "no $size icon"
done
desktop=$(dpkg-deb --fsys-tarfile "$deb" | tar -xO --wildcards '*usr/share/applications/Safar.desktop')
# Name, GenericName (the app's subtitle in each catalogue) and Comment in four languages.
for locale_lang in ":en" "[uz]:uz-Latn" "[uz@cyrillic]:uz-Cyrl" "[ru]:ru"; do
  suffix=${locale_lang%%:*}
  lang=${locale_lang#*:}
  for key in Name GenericName Comment; do
    grep -Fq "$key$suffix=" <<<"$desktop" || fail "desktop entry lacks $key$suffix"
  done
  # The catalogue's one "subtitle" key (app.subtitle); its values hold no quotes.
  subtitle=$(sed -n 's/^ *"subtitle": "\([^"]*\)",\{0,1\}$/\1/p' "ui/i18n/$lang.json")
  [ -n "$subtitle" ] || fail "no app.subtitle in ui/i18n/$lang.json"
  grep -Fxq "GenericName$suffix=$subtitle" <<<"$desktop" || fail "GenericName$suffix is not the $lang subtitle"
done
grep -qx 'Exec=safar' <<<"$desktop" || fail "Exec: $desktop"

# --- install -----------------------------------------------------------------------
say "installing: apt-get install -y ./$deb"
installed=1
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y "./$deb" >/dev/null
[ "$(command -v safar)" = /usr/bin/safar ] || fail "safar is not /usr/bin/safar on PATH: $(command -v safar || true)"

# --- the installed command line ---------------------------------------------------
home="$tmp/home"
mkdir -p "$home"
run() { env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 "$@"; }
out=$(run safar --version --lang en)
say "safar --version: $(tr '\n' ';' <<<"$out")"
grep -qx "Safar $version" <<<"$(head -n 1 <<<"$out")" || fail "--version: $out"
grep -qx "Data folder: $home/.local/share/uz.safar.desk" <<<"$out" || fail "--version data folder: $out"
help=$(run safar --help)
for word in init workers audit certificates import export --data-dir --version; do
  grep -q -- "$word" <<<"$help" || fail "--help does not mention $word"
done
run SAFAR_PASSWORD=Paket-sinovi-2026 safar --lang en init --agency-name "Sinov Xususiy bandlik agentligi" \
  --licence XBA-0099 --licence-date 2025-02-01 --address Toshkent --director "Karimov Anvar" --admin admin
data="$home/.local/share/uz.safar.desk"
[ -f "$data/safar.db" ] || fail "init left no $data/safar.db"

# --- the installed window ---------------------------------------------------------
Xvfb -displayfd 3 -nolisten tcp -screen 0 1280x800x24 3>"$tmp/display" 2>"$tmp/xvfb.log" &
xvfb_pid=$!
for _ in $(seq 1 50); do [ -s "$tmp/display" ] && break; sleep 0.1; done
[ -s "$tmp/display" ] || fail "Xvfb did not start: $(cat "$tmp/xvfb.log")"
display=":$(head -n 1 "$tmp/display")"
env -i HOME="$home" PATH=/usr/bin:/bin LANG=C.UTF-8 DISPLAY="$display" safar >"$tmp/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 6); do
  sleep 1
  kill -0 "$app_pid" 2>/dev/null || fail "the installed app exited: $(cat "$tmp/app.log")"
done
if command -v xwininfo >/dev/null 2>&1; then
  DISPLAY="$display" xwininfo -root -tree | grep -q '"Safar"' || fail "no window titled Safar"
fi
say "the installed app stayed up 6 s with its window on $display"
kill "$app_pid"
wait "$app_pid" 2>/dev/null || true
app_pid=""
kill "$xvfb_pid"
wait "$xvfb_pid" 2>/dev/null || true
xvfb_pid=""
say "the installed app through its set-up screen (e2e, SAFAR_BIN=/usr/bin/safar)"
SAFAR_BIN=/usr/bin/safar cargo test -q -p safar-e2e --test accounts -- --test-threads=1 \
  the_first_run_asks_for_the_agency_and_an_admin

# --- remove: the user's data stays ----------------------------------------------------
say "removing: apt-get purge -y safar"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 purge -y safar >/dev/null
installed=0
[ ! -e /usr/bin/safar ] || fail "/usr/bin/safar is still there after purge"
[ -f "$data/safar.db" ] || fail "removing the package removed the user's data"
say "the user's data stayed: $data/safar.db"
say "passed in $(( $(date +%s) - started ))s"
