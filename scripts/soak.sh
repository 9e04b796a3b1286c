#!/usr/bin/env bash
# Soak (not in CI): the daemon polls 1,000 loopback feeds (tributary-loadgen
# serve: 20 items, 10–30 KB each) every minute on a redis-server of its own,
# while wrk requests the ten section feeds (RSS, Atom, JSON) at 100
# connections. Prints requests/s, answers other than 2xx/304, socket
# errors and the daemon's RSS after a warm-up, every minute and at the end.
#
#   apt-get install wrk redis-server   # once
#   scripts/soak.sh [duration]         # default 10m (wrk syntax: 30s, 3m, 1h)
#
# The warm-up waits for every source's first poll (the first minute), then
# runs 30 s of the same HTTP load, so "RSS at start" is the daemon with its
# data loaded and its caches filled, not an empty process.
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-10m}
sources=1000 sections=10
for tool in wrk redis-server go python3; do
  command -v "$tool" >/dev/null || { echo "soak.sh: $tool not installed" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
freeport() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

go build -o "$work/tributary" ./cmd/tributary
go build -o "$work/loadgen" ./cmd/tributary-loadgen

redis_port=$(freeport)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)

# The feed server stops when its stdin closes: keep a pipe open.
mkfifo "$work/feeds.in"
"$work/loadgen" serve -n "$sources" <"$work/feeds.in" >"$work/feeds.addr" 2>"$work/feeds.log" &
pids+=($!)
exec 3>"$work/feeds.in"
for _ in $(seq 100); do [[ -s $work/feeds.addr ]] && break; sleep 0.1; done
feeds=$(head -1 "$work/feeds.addr")

port=$(freeport)
{
  printf 'listen: 127.0.0.1:%s\nredis:\n  url: redis://127.0.0.1:%s/0\n' "$port" "$redis_port"
  printf 'log:\n  level: warn\nfetch:\n  concurrency: 32\n  per_host: 32\ndefaults:\n  schedule: "@every 1m"\nsections:\n'
  for s in $(seq 0 $((sections - 1))); do
    printf '  - id: s%d\n    sources:\n' "$s"
    for i in $(seq "$s" "$sections" $((sources - 1))); do printf '      - url: http://%s/feed/%d\n' "$feeds" "$i"; done
  done
} >"$work/soak.yaml"
"$work/tributary" check --config "$work/soak.yaml" >/dev/null
"$work/tributary" run --config "$work/soak.yaml" 2>"$work/tributary.log" &
trib=$!
pids+=($trib)
base=http://127.0.0.1:$port
for _ in $(seq 100); do curl -sf "$base/healthz" >/dev/null && break; sleep 0.2; done

echo "soak: warm-up, every source's first poll (up to 90 s)"
for _ in $(seq 90); do
  polled=$(redis-cli -p "$redis_port" --scan --pattern '*source:*:state' | wc -l)
  [[ $polled -ge $sources ]] && break
  sleep 1
done
echo "soak: $polled of $sources sources polled"

cat >"$work/paths.lua" <<LUA
local paths = {}
for s = 0, $((sections - 1)) do
  for _, f in ipairs({"rss", "atom", "json"}) do paths[#paths + 1] = "/sections/s" .. s .. "." .. f end
end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
# HTTP warm-up: the render cache, gzip variants and the 100 connections'
# buffers are filled once and then reused; "RSS at start" is taken after
# them, so the comparison shows growth under load, not the first fill.
echo "soak: HTTP warm-up, wrk -c100 -t4 -d30s"
wrk -c100 -t4 -d30s --timeout 10s -s "$work/paths.lua" "$base" >"$work/warmup.out"
rss_start=$(rss "$trib")
echo "soak: wrk -c100 -t4 -d$duration, RSS at start ${rss_start} KiB"
wrk -c100 -t4 -d"$duration" --timeout 10s -s "$work/paths.lua" "$base" >"$work/wrk.out" &
wrk_pid=$!
samples=()
while kill -0 "$wrk_pid" 2>/dev/null; do
  for _ in $(seq 60); do kill -0 "$wrk_pid" 2>/dev/null && sleep 1; done
  kill -0 "$wrk_pid" 2>/dev/null && samples+=("$(rss "$trib")")
done
wait "$wrk_pid"
cat "$work/wrk.out"
rss_end=$(rss "$trib")
echo "soak: RSS every minute (KiB): ${samples[*]:-none}"
non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$work/wrk.out")
errors=$(awk '/Socket errors/ {gsub(",", ""); print $4+$6+$8+$10}' "$work/wrk.out")
reqs=$(awk '/Requests\/sec/ {print $2}' "$work/wrk.out")
logged=$(grep -c 'level=ERROR' "$work/tributary.log" || true)
growth=$(python3 -c "print(f'{100*($rss_end-$rss_start)/$rss_start:+.1f}')")
echo "soak: $duration, $reqs requests/s, non-2xx/304: ${non2xx:-0}, socket errors: ${errors:-0}, daemon errors logged: $logged, RSS ${rss_start} -> ${rss_end} KiB (${growth}%)"
[[ ${non2xx:-0} -eq 0 && ${errors:-0} -eq 0 ]] && python3 -c "import sys; sys.exit(0 if $rss_end <= 1.10*$rss_start else 1)"
