#!/usr/bin/env bash
# Load test: the archive under gunicorn (gunicorn.conf.py, production settings) on loopback,
# and wrk (a separate process) with 50 connections for 60 s cycling through the scale
# benchmark's query mix. Run by hand, never in CI.
#
#   bench/load.sh postgres://postgres@127.0.0.1:5432/archive_scale_100000
#   CONNECTIONS=50 DURATION=60s PORT=8765 bench/load.sh postgres://...   # the defaults
#
# It reads the database and never writes to it (the mix, then GET requests only).
# Environment:
#   CONNECTIONS, DURATION, WRK_THREADS   wrk's -c, -d, -t (50, 60s, 2)
#   WRK_TIMEOUT                          a request slower than this is a socket error (10s)
#   PORT                                 loopback port for gunicorn (8765)
#   CACHE_URL                            the site's cache (redis://127.0.0.1:6379/13): a Redis
#                                        database of the benchmark's own, emptied at the start
#   GUNICORN_WORKERS, GUNICORN_THREADS   override gunicorn.conf.py's sizing
#   KEEP_RATE_LIMITS=1                   keep the production rate limits (see below)
#   OUT                                  folder for the URLs, wrk script, logs, report (a temp dir)
#
# Rate limits: every wrk connection comes from 127.0.0.1, one address, so the production
# limit of the JSON API (120 a minute per address) would answer most API requests of the mix
# with 429 and the test would measure the limiter. Unless KEEP_RATE_LIMITS=1, the gunicorn
# started here gets ARCHIVE_RATE_LIMIT_API=1000000/m (and the same for the other groups)
# through the environment: production's defaults are unchanged, and the report says so.
set -euo pipefail
cd "$(dirname "$0")/.."

DATABASE=${1:?usage: bench/load.sh DATABASE_URL}
CONNECTIONS=${CONNECTIONS:-50}
DURATION=${DURATION:-60s}
WRK_THREADS=${WRK_THREADS:-2}
WRK_TIMEOUT=${WRK_TIMEOUT:-10s}
PORT=${PORT:-8765}
CACHE_URL=${CACHE_URL:-redis://127.0.0.1:6379/13}
OUT=${OUT:-$(mktemp -d /tmp/archive-load.XXXXXX)}
PY=.venv/bin/python
BASE="http://127.0.0.1:$PORT"
mkdir -p "$OUT"

if ! command -v wrk >/dev/null; then
  echo "== installing wrk (Debian package)"
  apt-get install -y wrk >/dev/null || (apt-get update >/dev/null && apt-get install -y wrk >/dev/null)
fi
[ -x "$PY" ] || make install

export DJANGO_SETTINGS_MODULE=archive.settings.production
export DJANGO_SECRET_KEY=${DJANGO_SECRET_KEY:-load-test-only-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=false   # plain HTTP on loopback; a proxy does TLS in production
export DATABASE_URL=$DATABASE CACHE_URL
export GUNICORN_BIND="127.0.0.1:$PORT"
limits="production defaults (API 120/m per address)"
if [ "${KEEP_RATE_LIMITS:-0}" != 1 ]; then
  export ARCHIVE_RATE_LIMIT_API=1000000/m ARCHIVE_RATE_LIMIT_EXPORT=1000000/m
  export ARCHIVE_RATE_LIMIT_FEED=1000000/m ARCHIVE_RATE_LIMIT_OAI=1000000/m
  limits="raised to 1000000/m for this loopback test (ARCHIVE_RATE_LIMIT_*)"
fi

echo "== static files (WhiteNoise's compressed manifest, as in production)"
$PY manage.py collectstatic --noinput -v0

echo "== the query mix (bench/scale_bench.py --urls)"
DJANGO_SETTINGS_MODULE=archive.settings.dev $PY bench/scale_bench.py --database "$DATABASE" --urls \
  > "$OUT/urls.txt"
cat "$OUT/urls.txt"

cat > "$OUT/mix.lua" <<'LUA'
-- Each wrk thread cycles through the mix's URLs, starting at its own offset.
local urls = {}
for line in io.lines(os.getenv("LOAD_URLS")) do urls[#urls + 1] = line end
local threads, counter = {}, 0
counts = {s2 = 0, s3 = 0, s4 = 0, s429 = 0, s5 = 0}  -- global: done() reads it with thread:get

function setup(thread)
  thread:set("offset", #threads * 7)
  table.insert(threads, thread)
end

function init(args)
  counter = offset or 0
end

function request()
  counter = counter + 1
  return wrk.format("GET", urls[(counter % #urls) + 1])
end

function response(status, headers, body)
  if status == 429 then counts.s429 = counts.s429 + 1 end
  local class = "s" .. math.floor(status / 100)
  counts[class] = (counts[class] or 0) + 1
end

function done(summary, latency, requests)
  local totals = {s2 = 0, s3 = 0, s4 = 0, s429 = 0, s5 = 0}
  for _, thread in ipairs(threads) do
    local c = thread:get("counts")
    for k, v in pairs(c) do totals[k] = (totals[k] or 0) + v end
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.1f rps=%.1f p50=%.1f p90=%.1f p95=%.1f p99=%.1f max=%.1f " ..
    "mean=%.1f status2xx=%d status3xx=%d status4xx=%d status429=%d status5xx=%d " ..
    "connect=%d read=%d write=%d timeout=%d non2xx3xx=%d\n",
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000,
    totals.s2, totals.s3, totals.s4, totals.s429, totals.s5,
    e.connect, e.read, e.write, e.timeout, e.status))
end
LUA

echo "== gunicorn on $BASE (production settings, gunicorn.conf.py)"
$PY -c "import redis, sys; redis.Redis.from_url(sys.argv[1]).flushdb()" "$CACHE_URL"
.venv/bin/gunicorn archive.wsgi > "$OUT/gunicorn.log" 2>&1 &
GUNICORN_PID=$!
trap 'kill -TERM $GUNICORN_PID 2>/dev/null || true; wait $GUNICORN_PID 2>/dev/null || true' EXIT
for _ in $(seq 60); do
  curl -sf -o /dev/null "$BASE/documents/" && break
  kill -0 $GUNICORN_PID 2>/dev/null || { cat "$OUT/gunicorn.log"; exit 1; }
  sleep 1
done

echo "== one run of the mix (warms the caches; every URL must answer 200)"
while read -r url; do
  code=$(curl -s -o /dev/null -w '%{http_code} %{size_download} %{time_total}' "$BASE$url")
  echo "  $code $url"
  [ "${code%% *}" = 200 ] || { echo "not 200: $url"; exit 1; }
done < "$OUT/urls.txt"
gzipped=$(curl -s -H 'Accept-Encoding: gzip' "$BASE$(head -1 "$OUT/urls.txt")" | wc -c)
css=$(grep -o '/static/css/archive[^"]*\.css' <(curl -s "$BASE/documents/") | head -1)
echo "  static: $css"
curl -sI -H 'Accept-Encoding: gzip' "$BASE$css" | grep -iE 'cache-control|content-encoding' \
  | sed 's/^/    /'

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION (load average before: $load_before)"
LOAD_URLS="$OUT/urls.txt" wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"$DURATION" --timeout "$WRK_TIMEOUT" \
  --latency -s "$OUT/mix.lua" "$BASE" | tee "$OUT/wrk.txt"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

result=$(grep '^RESULT' "$OUT/wrk.txt" | cut -d' ' -f2-)
get() { tr ' ' '\n' <<<"$result" | grep "^$1=" | cut -d= -f2; }
server_errors=$(grep -cE '" 5[0-9][0-9] ' "$OUT/gunicorn.log" || true)
sizing=$($PY -c "exec(open('gunicorn.conf.py').read()); print(workers, worker_class, threads)")
{
  echo "# Load test, $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) cores, $(hostname)"
  echo
  echo "database: ${DATABASE##*/}; mix: $(wc -l < "$OUT/urls.txt") URLs (bench/scale_bench.py --urls)"
  echo "gunicorn: gunicorn.conf.py, workers, class, threads: $sizing;" \
    "cache: $CACHE_URL; rate limits: $limits"
  echo "wrk: $WRK_THREADS threads, $CONNECTIONS connections, $DURATION, timeout $WRK_TIMEOUT," \
    "on the same machine"
  echo "load average before: $load_before; after: $load_after"
  echo "first page transferred when asked for gzip: $gzipped bytes"
  echo
  echo "| requests | req/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms | non-2xx/3xx | 429 | 5xx |" \
    "socket errors (connect/read/write/timeout) |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  echo "| $(get requests) | $(get rps) | $(get p50) | $(get p90) | $(get p95) | $(get p99)" \
    "| $(get max) | $(get non2xx3xx) | $(get status429) | $(get status5xx) |" \
    "$(get connect)/$(get read)/$(get write)/$(get timeout) |"
  echo
  echo "5xx in gunicorn's access log: $server_errors"
} | tee "$OUT/report.md"
echo "(files in $OUT)"
