#!/usr/bin/env bash
# The read API beside the HTML page it mirrors, page cache off: requests/s
# of the demo article as JSON (/api/v1/articles/<slug>/) and as FHIR (its
# Guideline composition) beside the HTML article page, from one gunicorn
# (2 workers, 127.0.0.1). Prints requests/s, p50/p99 and each one's ratio to
# the HTML page; asserts nothing.
#
#   bash bench/api.sh            # temporary SQLite database, file cache
#   DATABASE_URL=postgres://... CACHE_URL=redis://... bash bench/api.sh
#
# Measured in alternating order over ROUNDS rounds:
#   html         the demo article page (rendered, its parts kept per change)
#   api          the same article as JSON (kept per change)
#   fhir         the same article as a FHIR Guideline composition
#   references   the first page of the references list (JSON)
#   revalidate   the JSON article asked again with its ETag: a 304
#
# The request limit stays on (its counting is part of every API request's
# cost) but high enough never to refuse the benchmark. Only 127.0.0.1 is
# contacted and every run is bounded in time (ROUND_SECONDS).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
GUNICORN=${GUNICORN:-.venv/bin/gunicorn}
PORT=${PORT:-21210}
ROUNDS=${ROUNDS:-3}
ROUND_SECONDS=${ROUND_SECONDS:-5}
CONNECTIONS=${CONNECTIONS:-16}
BASE="http://127.0.0.1:${PORT}"

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
export SECURE_SSL_REDIRECT=false
export STATIC_ROOT="$WORK/static" CACHE_DIR="$WORK/cache"
export DATABASE_URL=${DATABASE_URL:-sqlite:///$WORK/bench.sqlite3}
export GUNICORN_WORKERS=2 GUNICORN_LOG_LEVEL=warning
export PORTAL_PAGE_CACHE_SECONDS=0 API_RATE_LIMIT=1000000000

echo "== setup: ${DATABASE_URL%%:*} database, cache: ${CACHE_URL:-files in $CACHE_DIR}, page cache off"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_demo --no-accounts -v0 2>/dev/null
"$PY" manage.py collectstatic --noinput -v0
ARTICLE_ID=$("$PY" -c 'import django; django.setup(); from articles.models import Article; print(Article.objects.approved().get(slug="antibody-therapy-pm-dm").pk)' 2>/dev/null)

GUNICORN_BIND="127.0.0.1:${PORT}" "$GUNICORN" -c gunicorn.conf.py portal.wsgi >"$WORK/server.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do
  curl -fs "${BASE}/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
curl -fs "${BASE}/healthz" >/dev/null || { cat "$WORK/server.log"; exit 1; }

SLUG=antibody-therapy-pm-dm
declare -A URL HEADER
URL[html]="${BASE}/articles/${SLUG}/"; HEADER[html]=""
URL[api]="${BASE}/api/v1/articles/${SLUG}/"; HEADER[api]=""
URL[fhir]="${BASE}/api/v1/fhir/Composition/article-${ARTICLE_ID}"; HEADER[fhir]=""
URL[references]="${BASE}/api/v1/references/"; HEADER[references]=""
ETAG=$(curl -s -D - -o /dev/null "${URL[api]}" | awk -F': ' 'tolower($1)=="etag" {print $2}' | tr -d '\r')
URL[revalidate]="${URL[api]}"; HEADER[revalidate]="If-None-Match: ${ETAG}"
NAMES="html api fhir references revalidate"

echo "== the answers (status, bytes, content type)"
for name in $NAMES; do
  curl -s -o /dev/null ${HEADER[$name]:+-H "${HEADER[$name]}"} "${URL[$name]}"  # warm
  printf '  %-11s %-58s %s\n' "$name" "${URL[$name]#"$BASE"}" \
    "$(curl -s -o /dev/null -w '%{http_code} %{size_download} %{content_type}' ${HEADER[$name]:+-H "${HEADER[$name]}"} "${URL[$name]}")"
done

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
  # A 304 is what the revalidation should get: count only the others.
  non2xx=$(awk '/Non-2xx/ {print $NF}' <<<"$out"); non2xx=${non2xx:-0}
  [ "$name" = revalidate ] && non2xx=0
  sock=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' <<<"$out"); sock=${sock:-0}
  curl -s -o /dev/null --max-time 120 "${BASE}/healthz" || true
  RPS[$name]+="$rps "; P50[$name]+="$p50 "; P99[$name]+="$p99 "
  ERR[$name]=$(( ${ERR[$name]:-0} + non2xx + sock ))
  printf '  %-11s %10s req/s  p50 %8s ms  p99 %8s ms  errors %s\n' "$name" "$rps" "$p50" "$p99" "$((non2xx + sock))"
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
echo "== medians over the rounds (page cache off)"
html_rps=$(median <<<"${RPS[html]}")
printf '  %-11s %10s  %9s  %9s  %8s  %s\n' answer "req/s" "p50 ms" "p99 ms" "/html" "errors"
for name in $NAMES; do
  rps=$(median <<<"${RPS[$name]}")
  printf '  %-11s %10s  %9s  %9s  %8s  %s\n' "$name" "$rps" \
    "$(median <<<"${P50[$name]}")" "$(median <<<"${P99[$name]}")" \
    "$(awk -v a="$rps" -v b="$html_rps" 'BEGIN {printf "%.2f", a/b}')" "${ERR[$name]}"
done
