#!/usr/bin/env bash
# `make serve-prod`: the production configuration on this machine. Reads .env
# if present, uses the local PostgreSQL unless DATABASE_URL says otherwise
# (creating the database if missing), runs `manage.py deploy`, then gunicorn
# and the job worker together; stopping one (or Ctrl-C) stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -f .env ]; then
  set -a
  # shellcheck disable=SC1091
  . ./.env
  set +a
fi
export DJANGO_ENV=production
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/coalicion}"
export GUNICORN_BIND="${GUNICORN_BIND:-127.0.0.1:${PORT:-8000}}"
PY=.venv/bin/python

$PY manage.py deploy --create-database
$PY manage.py db_worker --no-reload & worker=$!
.venv/bin/gunicorn coalicion.wsgi --config gunicorn.conf.py & web=$!
trap 'kill $worker $web 2>/dev/null || true; wait $worker $web 2>/dev/null || true' EXIT
trap 'exit 0' INT TERM
echo "Coalición (production configuration) at http://$GUNICORN_BIND/ — health: /health/; Ctrl-C stops it."
# When either stops, the EXIT trap stops the other.
wait -n $worker $web
