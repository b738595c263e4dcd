#!/usr/bin/env bash
# Build the one-folder app: build/pyinstaller/dist/igfcoach/igfcoach (run it; no Python needed on the target).
#
#   packaging/pyinstaller/build.sh              # from a fresh clone: makes build/pyinstaller/venv, then builds
#   BUILD_VENV=.venv packaging/pyinstaller/build.sh   # reuse an existing venv (pyinstaller is added to it)
#
# Needs python3 >= 3.11 with venv, and PyPI. Takes a few minutes; the folder is about 300 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
PYINSTALLER_VERSION=6.22.3
PYTHON=${PYTHON:-python3}
OUT=$REPO/build/pyinstaller
VENV=${BUILD_VENV:-$OUT/venv}

if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating the build venv in $VENV"
    "$PYTHON" -m venv "$VENV"
fi
echo "==> installing the app, its charts extra and PyInstaller $PYINSTALLER_VERSION into $VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade pip
"$VENV/bin/python" -m pip install --quiet -e "$REPO[charts]" "pyinstaller==$PYINSTALLER_VERSION"

echo "==> running PyInstaller"
rm -rf "$OUT/dist/igfcoach"
"$VENV/bin/python" -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath "$OUT/dist" --workpath "$OUT/work" \
    "$REPO/packaging/pyinstaller/igfcoach.spec"

APP=$OUT/dist/igfcoach
echo "==> built $APP/igfcoach ($(du -sh "$APP" | cut -f1))"
echo "    test it: packaging/pyinstaller/test-built.sh"
