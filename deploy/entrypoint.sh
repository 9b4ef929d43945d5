#!/bin/sh
# The container's entry point: `run` (the default) migrates the database first, then serves; any other
# arguments are a cusdev command (`docker compose run --rm bot board`). exec keeps cusdev as PID 1, so
# SIGTERM reaches it and it drains before exiting.
set -eu

if [ "$#" -eq 0 ]; then
  set -- run
fi
if [ "$1" = "run" ]; then
  cusdev db upgrade
fi
exec cusdev "$@"
