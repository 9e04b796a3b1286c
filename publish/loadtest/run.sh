#!/usr/bin/env bash
# Load harness (not run in CI): serves a cached 100-entry section
# (publish/testdata/news100.json) from Tributary through net/http, the same
# answers (headers and bytes) from a bare net/http handler that only copies
# them from memory (tributary-httpbench -bare: the floor net/http sets),
# and the same bytes from static files with nginx for context, on this
# machine in the same run. It prints, per case, requests/s, p99 latency and
# server CPU per request measured by wrk at 50 connections on loopback, with
# gzip off and with gzip on (pre-compressed: gzip_static in nginx, the
# cached gzip copy in Tributary), and Tributary's ratios to the bare handler.
#
#   apt-get install wrk nginx-light    # once
#   publish/loadtest/run.sh [seconds]  # default 10 s per measurement
#   ROUNDS=5 publish/loadtest/run.sh   # bare/Tributary rounds (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/go/bin:/usr/sbin"
secs=${1:-10}
conns=${CONNS:-50}
threads=${THREADS:-2}
rounds=${ROUNDS:-3}
for tool in wrk nginx go; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not installed (apt-get install wrk nginx-light)" >&2; exit 1; }
done

work=$(mktemp -d)
# mktemp makes the directory 0700; nginx's workers (user nobody) must read
# the files, or every answer is a 403 page and nginx looks very fast.
chmod 755 "$work"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  [[ -f $work/nginx.pid ]] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

trib_port=18089 ngx_plain=18090 ngx_gzip=18091 bare_port=18092
go build -o "$work/httpbench" ./cmd/tributary-httpbench
mkdir -p "$work/www/sections" "$work/bare"
"$work/httpbench" -listen 127.0.0.1:$trib_port -out "$work/www/sections" >"$work/httpbench.log" 2>&1 &
trib_pid=$!
pids+=($trib_pid)
"$work/httpbench" -bare -listen 127.0.0.1:$bare_port -out "$work/bare" >"$work/bare.log" 2>&1 &
bare_pid=$!
pids+=($bare_pid)
for f in www/sections bare; do
  for _ in $(seq 100); do [[ -s $work/$f/news.rss.gz ]] && break; sleep 0.1; done
  [[ -s $work/$f/news.rss.gz ]] || { cat "$work/httpbench.log" "$work/bare.log"; exit 1; }
done

cat >"$work/nginx.conf" <<CONF
worker_processes auto;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { application/rss+xml rss; }
  client_body_temp_path $work/tmp; proxy_temp_path $work/tmp; fastcgi_temp_path $work/tmp;
  uwsgi_temp_path $work/tmp; scgi_temp_path $work/tmp;
  server { listen 127.0.0.1:$ngx_plain; root $work/www; gzip off; }
  server { listen 127.0.0.1:$ngx_gzip; root $work/www; gzip_static on; }
}
CONF
mkdir -p "$work/tmp"
nginx -c "$work/nginx.conf" -p "$work"
path=/sections/news.rss
trib_path="$path?limit=100"

for _ in $(seq 50); do [[ -s $work/nginx.pid ]] && break; sleep 0.1; done
ngx_pids=$(pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' ')

# Every server must answer 200 with the same bytes, or the comparison
# measures something else.
for v in "identity $ngx_plain news.rss" "gzip $ngx_gzip news.rss.gz"; do
  read -r enc nport file <<<"$v"
  for url in "http://127.0.0.1:$nport$path" "http://127.0.0.1:$trib_port$trib_path" "http://127.0.0.1:$bare_port$trib_path"; do
    code=$(curl -s -H "Accept-Encoding: $enc" -o "$work/check" -w '%{http_code}' "$url")
    if [[ $code != 200 ]] || ! cmp -s "$work/check" "$work/www/sections/$file"; then
      echo "run.sh: $url ($enc) answered $code, not the $file bytes" >&2
      exit 1
    fi
  done
done

# cpu_ticks PID... -> user+system clock ticks used so far
cpu_ticks() {
  local t=0 p
  for p in "$@"; do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done
  echo "$t"
}

# measure URL HEADER PIDS -> "rps p99 cpu_us_per_request". CPU time per
# request is the server's own user+system time, which stays meaningful when
# other work shares the machine; requests/s does not.
measure() {
  local out c0 c1 rps p99 reqs
  c0=$(cpu_ticks $3)
  out=$(wrk -t"$threads" -c"$conns" -d"${secs}s" --latency ${2:+-H "$2"} "$1")
  if grep -q 'Non-2xx' <<<"$out"; then
    echo "run.sh: $1 gave non-2xx answers under load:" >&2
    echo "$out" >&2
    exit 1
  fi
  c1=$(cpu_ticks $3)
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  echo "$rps $p99 $(awk -v c=$((c1 - c0)) -v n="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", c * 1e6 / hz / n }')"
}

to_ms() { # wrk prints 812.00us, 1.23ms or 1.01s
  awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
median() { tr ' ' '\n' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

plain_bytes=$(stat -c %s "$work/www/sections/news.rss")
gzip_bytes=$(stat -c %s "$work/www/sections/news.rss.gz")
printf 'body: %d bytes plain, %d bytes gzip; wrk -t%d -c%d -d%ss; %d CPUs\n' "$plain_bytes" "$gzip_bytes" "$threads" "$conns" "$secs" "$(nproc)"
printf 'load average before: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'per server: req/s, p99 ms, server CPU us/request; bare and tributary: medians of %d alternating rounds\n' "$rounds"
printf 'last: Tributary / bare (targets: req/s >= 0.90, p99 <= 1.50)\n\n'
for mode in plain gzip; do
  if [[ $mode == gzip ]]; then hdr="Accept-Encoding: gzip"; nport=$ngx_gzip; else hdr=""; nport=$ngx_plain; fi
  read -r n_rps n_p99 n_cpu < <(measure "http://127.0.0.1:$nport$path" "$hdr" "$ngx_pids")
  b_all=() t_all=()
  for _ in $(seq "$rounds"); do
    b_all+=("$(measure "http://127.0.0.1:$bare_port$trib_path" "$hdr" "$bare_pid")")
    t_all+=("$(measure "http://127.0.0.1:$trib_port$trib_path" "$hdr" "$trib_pid")")
  done
  col() { local i=$1; shift; for r in "$@"; do read -r -a f <<<"$r"; if [[ $i == 2 ]]; then to_ms "${f[1]}"; echo; else echo "${f[$((i - 1))]}"; fi; done | tr '\n' ' '; }
  b_rps=$(col 1 "${b_all[@]}" | median) b_p99=$(col 2 "${b_all[@]}" | median) b_cpu=$(col 3 "${b_all[@]}" | median)
  t_rps=$(col 1 "${t_all[@]}" | median) t_p99=$(col 2 "${t_all[@]}" | median) t_cpu=$(col 3 "${t_all[@]}" | median)
  printf '%-5s | nginx %9s %6s %5s | bare %9s %6s %5s | tributary %9s %6s %5s | req/s %s p99 %s cpu %s\n' "$mode" \
    "$n_rps" "$(to_ms "$n_p99")" "$n_cpu" "$b_rps" "$b_p99" "$b_cpu" "$t_rps" "$t_p99" "$t_cpu" \
    "$(ratio "$t_rps" "$b_rps")" "$(ratio "$t_p99" "$b_p99")" "$(ratio "$t_cpu" "$b_cpu")"
  printf '      | rounds: bare req/s %s; tributary req/s %s\n' "$(col 1 "${b_all[@]}")" "$(col 1 "${t_all[@]}")"
done
printf '\nload average after: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
