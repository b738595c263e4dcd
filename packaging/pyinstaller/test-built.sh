#!/usr/bin/env bash
# Start the PyInstaller build on a private Xvfb display, with a clean environment and throw-away data folders.
#
#   packaging/pyinstaller/test-built.sh [path/to/igfcoach]    (default: build/pyinstaller/dist/igfcoach/igfcoach)
#
# Checks, each one line:
#   selfcheck   `igfcoach --frozen-selfcheck`: APScheduler entry points, Alembic migrations from the bundled scripts,
#               resources, the xcb platform plugin, SVG image format + icon engine, QtDBus, QtMultimedia (FFmpeg)
#   startup     `igfcoach --profile-startup` twice (new data folder, then warm): exit 0 and `startup_ms N`
#   no-python   (when strace is installed) the app opened no file of the Python it was built with
#   cli         `igfcoach --version` and `igfcoach today` (the headless commands, on the database just made)
#   menu        `igfcoach install-desktop` writes an entry that runs this binary (desktop-file-validate when
#               installed), `--remove` leaves the folder empty
# Needs: Xvfb (Debian: xvfb); optional: dbus-run-session (dbus), strace, desktop-file-validate.
set -uo pipefail
cd "$(dirname "$0")/../.."
APP=$(realpath -m "${1:-build/pyinstaller/dist/igfcoach/igfcoach}")
if [ ! -x "$APP" ]; then
    echo "test-built: no build at $APP; run packaging/pyinstaller/build.sh first" >&2
    exit 2
fi
if ! command -v Xvfb >/dev/null; then
    echo "test-built: Xvfb is missing (Debian/Ubuntu: apt-get install xvfb)" >&2
    exit 2
fi

TMP=$(mktemp -d)
XVFB_PID=
cleanup() {
    [ -n "$XVFB_PID" ] && kill "$XVFB_PID" 2>/dev/null && wait "$XVFB_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
mkdir -p "$TMP/home" "$TMP/run" && chmod 700 "$TMP/run"

Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$TMP/display" 2>"$TMP/xvfb.log" &
XVFB_PID=$!
for _ in $(seq 100); do [ -s "$TMP/display" ] && break; sleep 0.1; done
if [ ! -s "$TMP/display" ]; then
    echo "test-built: Xvfb did not start:" >&2; cat "$TMP/xvfb.log" >&2; exit 2
fi
DISPLAY_NUM=:$(head -n1 "$TMP/display")

# A clean environment: no PYTHON*, no venv on PATH, no LD_LIBRARY_PATH; data and config in $TMP. The first-run
# wizard is skipped (IGFCOACH_SKIP_ONBOARDING=1, defaults seeded) so the start reaches the main window.
run_app() {
    local wrap=()
    command -v dbus-run-session >/dev/null && wrap=(dbus-run-session --)
    env -i PATH=/usr/bin:/bin HOME="$TMP/home" DISPLAY="$DISPLAY_NUM" XDG_RUNTIME_DIR="$TMP/run" \
        XDG_DATA_HOME="$TMP/xdg-data" XDG_CONFIG_HOME="$TMP/xdg-config" XDG_CACHE_HOME="$TMP/xdg-cache" \
        LANG=C.UTF-8 QT_QPA_PLATFORM=xcb IGFCOACH_SKIP_ONBOARDING=1 "${wrap[@]}" timeout 60 "$@"
}

PASSED=0
FAILED=0
ok() { PASSED=$((PASSED + 1)); echo "ok    $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL  $*"; }
show() { sed 's/^/      | /' "$1"; }

# 1. What freezing can break.
if run_app "$APP" --frozen-selfcheck >"$TMP/selfcheck.out" 2>&1 && grep -q "selfcheck: .* 0 failed" "$TMP/selfcheck.out"; then
    ok "selfcheck"
    grep '^selfcheck [a-z]*: ok' "$TMP/selfcheck.out" | sed 's/^/      /'
else
    fail "selfcheck"; show "$TMP/selfcheck.out"
fi

# 2. Start to the first painted page, twice: a new data folder (creates and migrates the database), then warm.
STARTUP=()
for run in cold warm; do
    run_app "$APP" --profile-startup --data-dir "$TMP/data" >"$TMP/$run.out" 2>&1
    rc=$?
    ms=$(sed -n 's/^startup_ms \([0-9.]*\)$/\1/p' "$TMP/$run.out" | head -n1)
    if [ "$rc" -eq 0 ] && [ -n "$ms" ] && ! grep -q Traceback "$TMP/$run.out" "$TMP/data/logs/igfcoach.log"; then
        ok "startup ($run): startup_ms $ms"
        STARTUP+=("$run=$ms")
    else
        # an error dialog (igfcoach.crash) waits for a click: the run then ends by timeout, exit 124
        fail "startup ($run): exit $rc, no startup_ms line or a traceback"; show "$TMP/$run.out"
        grep -A12 -m1 Traceback "$TMP/data/logs/igfcoach.log" 2>/dev/null | sed 's/^/      | log: /'
    fi
done

# 3. It ran on its own Python: a third start under strace opened no file of another Python installation.
if command -v strace >/dev/null; then
    run_app strace -f -qq -e trace=openat,open,execve -o "$TMP/strace.log" \
        "$APP" --profile-startup --data-dir "$TMP/data" >"$TMP/strace.out" 2>&1
    HOST_PY=$(grep -v ENOENT "$TMP/strace.log" | grep -Eo '"/[^"]*/(lib/python3\.[0-9]+|site-packages)/[^"]*"' \
              | grep -vF "$(dirname "$APP")/" | head -n3 || true)
    if ! grep -q '^startup_ms ' "$TMP/strace.out"; then
        fail "no-python: the start under strace did not finish"; show "$TMP/strace.out"
    elif [ -z "$HOST_PY" ]; then
        ok "no-python: opened nothing from a Python outside the bundle"
    else
        fail "no-python: opened files of another Python:"; echo "$HOST_PY" | sed 's/^/      | /'
    fi
fi

# 4. The headless commands, on the database the first start made.
if run_app "$APP" --version >"$TMP/version.out" 2>"$TMP/cli.err" \
        && run_app "$APP" --data-dir "$TMP/data" today >"$TMP/today.out" 2>>"$TMP/cli.err" \
        && grep -q "Checklist for" "$TMP/today.out"; then
    ok "cli: $(cat "$TMP/version.out"); \`today\` lists $(grep -c '^\s*\[' "$TMP/today.out") habits"
else
    fail "cli"; show "$TMP/version.out"; show "$TMP/today.out"; show "$TMP/cli.err"
fi

# 5. "Add to application menu" from the frozen app points the entry at this binary; remove undoes it.
DESKTOP=$TMP/xdg-data/applications/io.github.igfcoach.IGFCoach.desktop
if run_app "$APP" --data-dir "$TMP/data" install-desktop >"$TMP/menu.out" 2>&1 && grep -qxF "Exec=$APP" "$DESKTOP" \
        && { ! command -v desktop-file-validate >/dev/null || desktop-file-validate "$DESKTOP"; } \
        && run_app "$APP" --data-dir "$TMP/data" install-desktop --remove >>"$TMP/menu.out" 2>&1 \
        && [ -z "$(find "$TMP/xdg-data" -mindepth 1 2>/dev/null)" ]; then
    ok "menu: entry runs $APP; removed cleanly"
else
    fail "menu"; show "$TMP/menu.out"
fi

SIZE=$(du -sh "$(dirname "$APP")" | cut -f1)
echo "build folder: $(dirname "$APP") ($SIZE); startup ms: ${STARTUP[*]:-none}"
echo "test-built: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
