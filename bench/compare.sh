#!/usr/bin/env bash
# Where the page cache cannot help: the article page rendered for every
# request, compared with the same page from the page cache and with a static
# file from the same gunicorn (2 workers, 127.0.0.1). Prints requests/s,
# p50/p99 and each page's ratio to the static file; asserts nothing.
#
#   bash bench/compare.sh            # temporary SQLite database, file cache
#   DATABASE_URL=postgres://... CACHE_URL=redis://... bash bench/compare.sh
#
# Pages measured, in alternating order over ROUNDS rounds:
#   static       a CSS file served by whitenoise (the yardstick)
#   cached       the demo article from the page cache
#   article      the demo article, page cache off
#   refs40       a generated article citing 40 references, page cache off
#   editor       the demo article for a signed-in editor (never cached)
#   editor40     the 40-reference article for a signed-in editor
#
# Two servers run side by side (only one is loaded at a time): one with the
# page cache on (PORT), one with it off (PORT+1). With DATABASE_URL the named
# database is migrated and filled: give it a scratch database. Only 127.0.0.1
# is contacted and every run is bounded in time (ROUND_SECONDS).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
PORT=${PORT:-21200}
ROUNDS=${ROUNDS:-3}
ROUND_SECONDS=${ROUND_SECONDS:-5}
CONNECTIONS=${CONNECTIONS:-16}
ON="http://127.0.0.1:${PORT}"
OFF="http://127.0.0.1:$((PORT + 1))"

if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk (Debian package)..."
  apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
fi
command -v wrk >/dev/null || { echo "wrk is required (apt-get install wrk)"; exit 1; }

WORK=$(mktemp -d)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      wait "$pid" 2>/dev/null || true
    fi
  done
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
export GUNICORN_WORKERS=2 GUNICORN_LOG_LEVEL=warning

echo "== setup: ${DATABASE_URL%%:*} database, cache: ${CACHE_URL:-files in $CACHE_DIR}"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_demo --no-accounts -v0 2>/dev/null
"$PY" manage.py collectstatic --noinput -v0

# A 40-reference article (approved) and a signed-in editor's session cookie.
SESSION=$("$PY" bench/fixtures.py 2>/dev/null)

DEMO=/articles/antibody-therapy-pm-dm/
BIG=/articles/bench-40-references/

echo "== starting two gunicorn servers (2 workers each): cache on ${ON}, off ${OFF}"
GUNICORN_BIND="127.0.0.1:${PORT}" "$GUNICORN" -c gunicorn.conf.py portal.wsgi >"$WORK/on.log" 2>&1 &
PIDS+=($!)
PORTAL_PAGE_CACHE_SECONDS=0 GUNICORN_BIND="127.0.0.1:$((PORT + 1))" \
  "$GUNICORN" -c gunicorn.conf.py portal.wsgi >"$WORK/off.log" 2>&1 &
PIDS+=($!)
for base in "$ON" "$OFF"; do
  for _ in $(seq 100); do
    curl -fs "${base}/healthz" >/dev/null 2>&1 && break
    sleep 0.2
  done
  curl -fs "${base}/healthz" >/dev/null || { cat "$WORK"/*.log; exit 1; }
done

STATIC=$(curl -fs "${ON}/" | grep -o '/static/css/site\.[0-9a-f]*\.css' | head -1)
COOKIE="Cookie: sessionid=${SESSION}"
declare -A URL HEADER
URL[static]="${ON}${STATIC}"; HEADER[static]=""
URL[cached]="${ON}${DEMO}"; HEADER[cached]=""
URL[article]="${OFF}${DEMO}"; HEADER[article]=""
URL[refs40]="${OFF}${BIG}"; HEADER[refs40]=""
URL[editor]="${ON}${DEMO}"; HEADER[editor]="$COOKIE"
URL[editor40]="${ON}${BIG}"; HEADER[editor40]="$COOKIE"
NAMES="static cached article refs40 editor editor40"

echo "== the pages (status, X-Cache, bytes)"
for name in $NAMES; do
  args=(-s -o /dev/null -w '%{http_code} %{size_download}')
  [ -n "${HEADER[$name]}" ] && args+=(-H "${HEADER[$name]}")
  curl -s -o /dev/null ${HEADER[$name]:+-H "${HEADER[$name]}"} "${URL[$name]}"  # warm
  cache=$(curl -s -D - -o /dev/null ${HEADER[$name]:+-H "${HEADER[$name]}"} "${URL[$name]}" | awk -F': ' 'tolower($1)=="x-cache" {print $2}' | tr -d '\r')
  printf '  %-9s %-48s HTTP %s  X-Cache %s\n' "$name" "${URL[$name]#http://127.0.0.1:}" "$(curl "${args[@]}" "${URL[$name]}")" "${cache:--}"
done
signed_in=$(curl -s -o /dev/null -w '%{http_code}' -H "$COOKIE" "${ON}/editorial/")
[ "$signed_in" = 200 ] || { echo "  the editor's session is not signed in (/editorial/ answered ${signed_in})"; exit 1; }

# wrk's latency figures in milliseconds, whatever unit it chose.
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000} printf "%.2f", v}'; }

declare -A RPS P50 P99 ERR
run() {  # name
  local name=$1 out
  if [ -n "${HEADER[$name]}" ]; then
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$ROUND_SECONDS"s --timeout 10s --latency -H "${HEADER[$name]}" "${URL[$name]}" 2>&1)
  else
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$ROUND_SECONDS"s --timeout 10s --latency "${URL[$name]}" 2>&1)
  fi
  local rps p50 p99 non2xx sock
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out" | to_ms)
  p99=$(awk '$1=="99%" {print $2}' <<<"$out" | to_ms)
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  sock=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out"); sock=${sock:-0}
  # wrk has hung up, but the workers still owe the requests it queued: wait
  # until both servers answer again, so the next page starts on idle workers.
  curl -s -o /dev/null --max-time 120 "${ON}/healthz" || true
  curl -s -o /dev/null --max-time 120 "${OFF}/healthz" || true
  RPS[$name]+="$rps "; P50[$name]+="$p50 "; P99[$name]+="$p99 "
  ERR[$name]=$(( ${ERR[$name]:-0} + non2xx + sock ))
  printf '  %-9s %10s req/s  p50 %8s ms  p99 %8s ms  non-2xx/errors %s\n' "$name" "$rps" "$p50" "$p99" "$((non2xx + sock))"
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo
echo "== ${ROUNDS} alternating rounds, ${CONNECTIONS} connections, ${ROUND_SECONDS}s each"
for round in $(seq "$ROUNDS"); do
  echo " round ${round}"
  if (( round % 2 )); then order="$NAMES"; else order=$(tr ' ' '\n' <<<"$NAMES" | tac | tr '\n' ' '); fi
  for name in $order; do run "$name"; done
done

echo
echo "== medians over the rounds"
static_rps=$(median <<<"${RPS[static]}")
article_rps=$(median <<<"${RPS[article]}")
refs40_rps=$(median <<<"${RPS[refs40]}")
printf '  %-9s %10s  %9s  %9s  %8s  %s\n' page "req/s" "p50 ms" "p99 ms" "/static" "errors"
for name in $NAMES; do
  rps=$(median <<<"${RPS[$name]}")
  printf '  %-9s %10s  %9s  %9s  %8s  %s\n' "$name" "$rps" \
    "$(median <<<"${P50[$name]}")" "$(median <<<"${P99[$name]}")" \
    "$(awk -v a="$rps" -v b="$static_rps" 'BEGIN {printf "%.3f", a/b}')" "${ERR[$name]}"
done
echo
echo "  editor / article (anonymous, cache off):      $(awk -v a="$(median <<<"${RPS[editor]}")" -v b="$article_rps" 'BEGIN {printf "%.2f", a/b}')"
echo "  editor40 / refs40 (anonymous, cache off):     $(awk -v a="$(median <<<"${RPS[editor40]}")" -v b="$refs40_rps" 'BEGIN {printf "%.2f", a/b}')"
echo "  targets: article >= 0.12, refs40 >= 0.08 (p99 < 50 ms), cached >= 0.8 of static;"
echo "           editor >= 0.8 of the anonymous uncached page"
