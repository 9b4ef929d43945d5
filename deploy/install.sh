#!/bin/sh
# Build cusdev's virtualenv from a source tree, with every dependency pinned by constraints.txt.
# The one install step shared by the image's builder stage (deploy/Dockerfile) and its proof (tests/deploy/).
# usage: install.sh SOURCE_DIR VENV_DIR    (PYTHON picks the interpreter, default python3)
set -eu

src=$1
venv=$2

"${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check --constraint "$src/constraints.txt" "$src"
"$venv/bin/cusdev" --help >/dev/null
