# Shell helpers of the benchmark scripts (sourced, not run). The caller sets RESULTS, the file of
# "key value" lines that put writes and get reads.

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
put() { echo "$1 $2" >> "$RESULTS"; log "$1 = $2"; }
get() { awk -v k="$1" '$1 == k { $1 = ""; sub(/^ /, ""); print; exit }' "$RESULTS"; }
now_ms() { date +%s%3N; }

# A free loopback port: nothing answers a connect to it. Below Linux's ephemeral range (32768-60999),
# so outgoing connections of other programs do not take it in the meantime.
free_port() {
  local p
  while :; do
    p=$(( 20000 + RANDOM % 12000 ))
    if ! (exec 3<>/dev/tcp/127.0.0.1/$p) 2>/dev/null; then echo $p; return; fi
  done
}

# Stops a process we started: SIGTERM, then waits up to 60 s, then SIGKILL.
stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 600); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  log "pid $pid still running after 60 s; SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}
