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

# ---------------------------------------------------------------------------
# Fault round: the cache stops mid-run. A second gunicorn uses a private Redis
# started here (FAULT_REDIS_PORT); after a third of FAULT_SECONDS the Redis is
# stopped, after two thirds started again. Readers (anonymous, and patients
# with the glossary) and a signed-in editor keep asking; every answer must be
# a 200 (or a styled 503), never a 500. /readyz must say 503 while it is down.
# ---------------------------------------------------------------------------
FAULT_PORT=${FAULT_PORT:-21181}
FAULT_REDIS_PORT=${FAULT_REDIS_PORT:-21179}
FAULT_SECONDS=${FAULT_SECONDS:-15}
FAULT_BASE="http://127.0.0.1:${FAULT_PORT}"
REDIS_PID="" FAULT_PID=""
start_redis() {
  redis-server --bind 127.0.0.1 --port "$FAULT_REDIS_PORT" --save "" --appendonly no \
    >"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  for _ in $(seq 50); do
    redis-cli -p "$FAULT_REDIS_PORT" ping >/dev/null 2>&1 && return
    sleep 0.1
  done
}
stop_redis() {
  if [ -n "$REDIS_PID" ] && kill -0 "$REDIS_PID" 2>/dev/null; then
    kill -TERM "$REDIS_PID"
    wait "$REDIS_PID" 2>/dev/null || true
  fi
  REDIS_PID=""
}
stop_fault_server() {
  if [ -n "$FAULT_PID" ] && kill -0 "$FAULT_PID" 2>/dev/null; then
    kill -TERM "$FAULT_PID"
    wait "$FAULT_PID" 2>/dev/null || true
  fi
}
trap 'stop_fault_server; stop_redis; cleanup' EXIT

echo
echo "== fault round: cache (private Redis on ${FAULT_REDIS_PORT}) stopped mid-run, ${FAULT_SECONDS}s"
start_redis
export FAULT_CACHE_URL="redis://127.0.0.1:${FAULT_REDIS_PORT}/0"
# A signed-in editor: a session made the way a login makes one.
EDITOR_SESSION=$(CACHE_URL="$FAULT_CACHE_URL" "$PY" - 2>/dev/null <<'PYEOF' | awk '/^=>/ {print $2}'
import secrets

import django

django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import Group, User
from django.utils.module_loading import import_string
from django.conf import settings

user, _ = User.objects.get_or_create(username="bench-fault-editor")
user.set_password(secrets.token_urlsafe(24))
user.save()
user.groups.add(Group.objects.get(name="Editors"))
store = import_string(settings.SESSION_ENGINE + ".SessionStore")()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.save()
print("=>", store.session_key)
PYEOF
)
CACHE_URL="$FAULT_CACHE_URL" GUNICORN_BIND="127.0.0.1:${FAULT_PORT}" \
  "$GUNICORN" -c gunicorn.conf.py portal.wsgi >"$WORK/fault-server.log" 2>&1 &
FAULT_PID=$!
for _ in $(seq 50); do
  curl -fs "${FAULT_BASE}/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

"$PY" - "$FAULT_BASE" "$FAULT_SECONDS" "$WORK/phase" "$EDITOR_SESSION" "$TOPIC" "$ARTICLE" <<'PYEOF' &
import collections
import sys
import threading
import time
import urllib.error
import urllib.request

base, seconds, phase_file, session, topic, article = sys.argv[1:]
seconds = float(seconds)
REQUESTS = [
    ("reader", "/", ""),
    ("reader", topic, ""),
    ("reader", article, ""),
    ("patient", article, "portal_audience=patient"),
    ("editor", "/editorial/", f"sessionid={session}"),
    ("editor", article, f"sessionid={session}; portal_audience=patient"),
    ("readyz", "/readyz", ""),
]
counts = collections.Counter()
lock = threading.Lock()
deadline = time.monotonic() + seconds


def phase():
    try:
        with open(phase_file) as f:
            return f.read().strip() or "up"
    except FileNotFoundError:
        return "up"


def worker(offset):
    i = offset
    while time.monotonic() < deadline:
        who, path, cookie = REQUESTS[i % len(REQUESTS)]
        i += 1
        when = phase()
        request = urllib.request.Request(base + path, headers={"Cookie": cookie})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                status, body = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, body = error.code, error.read()
        except OSError:
            status, body = "no answer", b""
        signed_in = b"bench-fault-editor" in body
        if path == "/editorial/" and status == 200 and not signed_in:
            status = "200 signed out"
        with lock:
            counts[(when, who, status)] += 1


threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
for when in ("up", "down", "back"):
    for who in ("reader", "patient", "editor", "readyz"):
        row = {s: n for (w, o, s), n in counts.items() if w == when and o == who}
        shown = "  ".join(f"{s}: {n}" for s, n in sorted(row.items(), key=str))
        print(f"  cache {when:5} {who:8} {shown}")
totals = collections.Counter()
for (_, who, status), n in counts.items():
    if who != "readyz":
        totals[status] += n
print(
    "  pages in total: 200: {} 503: {} 500: {} other: {}".format(
        totals[200],
        totals[503],
        totals[500],
        sum(n for s, n in totals.items() if s not in (200, 503, 500)),
    )
)
print("  zero 500s" if not totals[500] else "  500s SEEN")
PYEOF
LOAD_PID=$!
third=$(awk -v s="$FAULT_SECONDS" 'BEGIN {printf "%.1f", s/3}')
sleep "$third"
stop_redis
echo down >"$WORK/phase"
sleep "$third"
start_redis
echo back >"$WORK/phase"
wait "$LOAD_PID"
