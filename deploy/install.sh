#!/bin/sh
# Build cusdev's virtualenv from a source tree, with every dependency pinned by constraints.txt.
# The one install step shared by the image's builder stage (deploy/Dockerfile), its proof (tests/deploy/) and the VM.
# usage: install.sh [--deps-only | --no-deps] SOURCE_DIR VENV_DIR    (PYTHON picks the interpreter, default python3)
#   --deps-only  only the dependencies pyproject.toml lists, pinned: needs nothing but pyproject.toml and
#                constraints.txt, so the image keeps this layer until one of them changes
#   --no-deps    only cusdev itself, into a virtualenv --deps-only has filled
#   (neither)    both, one after the other
set -eu

step=all
case ${1-} in
--deps-only) step=deps && shift ;;
--no-deps) step=app && shift ;;
*) ;;
esac
src=$1
venv=$2

[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
if [ "$step" != app ]; then
    requirements=$(mktemp)
    trap 'rm -f "$requirements"' EXIT
    "$venv/bin/python" -c '
import sys, tomllib
with open(sys.argv[1], "rb") as pyproject:
    print("\n".join(tomllib.load(pyproject)["project"]["dependencies"]))
' "$src/pyproject.toml" >"$requirements"
    "$venv/bin/pip" install --disable-pip-version-check --constraint "$src/constraints.txt" --requirement "$requirements"
fi
if [ "$step" != deps ]; then
    "$venv/bin/pip" install --disable-pip-version-check --no-deps "$src"
    "$venv/bin/pip" check --disable-pip-version-check # every dependency cusdev declares is installed
    "$venv/bin/cusdev" --help >/dev/null
fi
