#!/usr/bin/env bash
# Load benchmark of the production server (gunicorn + whitenoise, 2 workers)
# on 127.0.0.1 with the demo content. Prints figures; asserts nothing.
#
#   bash bench/load.sh            # temporary SQLite database, file cache
#   DATABASE_URL=postgres://... CACHE_URL=redis://... bash bench/load.sh
#
# With DATABASE_URL the named database is migrated and the demo content loaded
# into it: give it a scratch database. Only 127.0.0.1 is ever contacted, and
# every load run is bounded in time (ROUND_SECONDS, SOAK_SECONDS).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
PORT=${PORT:-8765}
ROUNDS=${ROUNDS:-3}
ROUND_SECONDS=${ROUND_SECONDS:-5}
SOAK_SECONDS=${SOAK_SECONDS:-30}
BASE="http://127.0.0.1:${PORT}"

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)..."
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi

WORK=$(mktemp -d)
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -TERM "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

export DJANGO_SETTINGS_MODULE=portal.settings
export SECRET_KEY
SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(50))')
export DEBUG=false ALLOWED_HOSTS=127.0.0.1,localhost
# Plain HTTP on the loopback: no redirect to https.
export SECURE_SSL_REDIRECT=false
export STATIC_ROOT="$WORK/static" CACHE_DIR="$WORK/cache"
export DATABASE_URL=${DATABASE_URL:-sqlite:///$WORK/bench.sqlite3}
export GUNICORN_WORKERS=2 GUNICORN_BIND="127.0.0.1:${PORT}"

echo "== setup: ${DATABASE_URL%%:*} database, cache: ${CACHE_URL:-files in $CACHE_DIR}"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_demo --no-accounts -v0 2>/dev/null
"$PY" manage.py collectstatic --noinput -v0

TOPIC=/topics/myositis-treatment/
ARTICLE=/articles/antibody-therapy-pm-dm/
SEARCH="/search/?q=rituximab"

echo
echo "== SQL queries per page (rendered, page cache off)"
(PORTAL_PAGE_CACHE_SECONDS=0 "$PY" - "$TOPIC" "$ARTICLE" "$SEARCH" / /literature/ 2>/dev/null <<'PYEOF'
import sys

import django

django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

setup_test_environment()
client = Client()
for url in sys.argv[1:]:
    client.get(url)  # warm: first-use queries (content types and the like)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    print(f"=> {url:40} status {status}  queries {len(queries)}")
PYEOF
) | grep '^=>' | sed 's/^=>/ /'

echo
echo "== starting gunicorn (2 workers) on ${BASE}"
"$GUNICORN" -c gunicorn.conf.py portal.wsgi >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 50); do
  curl -fs "${BASE}/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "${BASE}/healthz" >/dev/null || { cat "$WORK/server.log"; exit 1; }

STATIC=$(curl -fs "${BASE}/" | grep -o '/static/css/site\.[0-9a-f]*\.css' | head -1)
echo "static file: ${STATIC}"
for url in "$TOPIC" "$ARTICLE" "$SEARCH" "$STATIC"; do
  printf '  %-40s HTTP %s\n' "$url" "$(curl -s -o /dev/null -w '%{http_code}' "${BASE}${url}")"
done

# wrk's latency figures in milliseconds, whatever unit it chose.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000} printf "%.2f", v}'; }

declare -A RPS P50 P99 ERR
run() {  # name url connections seconds
  local out
  out=$(wrk -t2 -c"$3" -d"$4"s --latency "${BASE}$2" 2>&1)
  local rps p50 p99 non2xx sock
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)
  p99=$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  sock=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out"); sock=${sock:-0}
  RPS[$1]+="$rps "; P50[$1]+="$p50 "; P99[$1]+="$p99 "; ERR[$1]=$(( ${ERR[$1]:-0} + non2xx + sock ))
  printf '  %-8s %10s req/s  p50 %7s ms  p99 %7s ms  non-2xx/errors %s\n' "$1" "$rps" "$p50" "$p99" "$((non2xx + sock))"
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo
echo "== ${ROUNDS} alternating rounds, 16 connections, ${ROUND_SECONDS}s each"
for round in $(seq "$ROUNDS"); do
  echo " round ${round}"
  if (( round % 2 )); then order="static topic article search"; else order="search article topic static"; fi
  for name in $order; do
    case $name in
      static) run static "$STATIC" 16 "$ROUND_SECONDS" ;;
      topic) run topic "$TOPIC" 16 "$ROUND_SECONDS" ;;
      article) run article "$ARTICLE" 16 "$ROUND_SECONDS" ;;
      search) run search "$SEARCH" 16 "$ROUND_SECONDS" ;;
    esac
  done
done

echo
echo "== medians over the rounds (targets: pages >= 50% of static, p99 < 50 ms)"
static_rps=$(median <<<"${RPS[static]}")
for name in static topic article search; do
  rps=$(median <<<"${RPS[$name]}")
  printf '  %-8s %10s req/s  p50 %7s ms  p99 %7s ms  ratio to static %s\n' "$name" "$rps" \
    "$(median <<<"${P50[$name]}")" "$(median <<<"${P99[$name]}")" \
    "$(awk -v a="$rps" -v b="$static_rps" 'BEGIN {printf "%.2f", a/b}')"
done

echo
echo "== soak: 64 connections for ${SOAK_SECONDS}s over topic, article, home and static"
cat >"$WORK/mix.lua" <<LUAEOF
local paths = {"${TOPIC}", "${ARTICLE}", "/", "${STATIC}"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUAEOF
out=$(wrk -t2 -c64 -d"${SOAK_SECONDS}"s --latency -s "$WORK/mix.lua" "$BASE" 2>&1)
grep -E 'Requests/sec|Non-2xx|Socket errors|^ +(50|99)%' <<<"$out" | sed 's/^/  /'
if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then echo "  ERRORS seen"; else echo "  zero errors"; fi

echo
echo "== resident memory per worker (target < 100 MB)"
for pid in $(pgrep -P "$SERVER_PID"); do
  printf '  worker %s: %s MB\n' "$pid" "$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$pid/status")"
done
printf '  master %s: %s MB\n' "$SERVER_PID" "$(awk '/VmRSS/ {printf "%.1f", $2/1024}' "/proc/$SERVER_PID/status")"
