#!/bin/sh
# The image's entrypoint: one image, one command per role.
#   web      apply pending migrations (idempotent; safe with several replicas), then the standalone Next server
#   worker   the BullMQ worker (scale it by running more of them)
#   migrate  only apply migrations (a one-off job before an upgrade, if you prefer that to `web` doing it)
# Anything else is run as given (`docker compose run web sh`).
# tests/integration/docker-commands.test.ts runs this script, on the image's file layout, as the image does.
set -eu
cd "$(dirname "$0")/.."

log() {
  # One JSON line, like the app's own logs (pino's level 30 = info, 50 = error).
  printf '{"level":%s,"time":"%s","service":"%s","msg":"%s"}\n' "$1" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "${SERVICE_NAME:-web}" "$2"
}

migrate() {
  if output=$(node node_modules/prisma/build/index.js migrate deploy 2>&1); then
    log 30 "migrations applied"
  else
    log 50 "migrations failed: prisma migrate deploy output follows"
    printf '%s\n' "$output" >&2
    exit 1
  fi
}

role="${1:-web}"
case "$role" in
  web)
    migrate
    exec node --import ./scripts/peer-address.mjs server.js
    ;;
  worker)
    export SERVICE_NAME="${SERVICE_NAME:-worker}"
    exec node --import tsx worker/index.ts
    ;;
  migrate)
    migrate
    ;;
  *)
    exec "$@"
    ;;
esac
