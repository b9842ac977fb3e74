#!/usr/bin/env bash
# The cluster benchmark: one Tributary broker against three on one machine, in one run.
#  1. one broker (embedded ZooKeeper), a topic with RF=1, batched HTTP produce with acks=1: the
#     reference throughput;
#  2. three brokers on one standalone ZooKeeper, a topic with RF=3 and min.insync.replicas=2, the
#     same load with acks=all: its ratio to (1); for both, the CPU the brokers used meanwhile;
#  3. end-to-end latency on the three brokers at a fixed 10k records/s, acks=all, from the
#     producer's send to a WebSocket consumer's receipt;
#  4. failover: under a steady acks=all producer on a surviving broker, SIGKILL a partition's
#     leader and time the first acknowledged produce after the kill, for several ZooKeeper session
#     timeouts (each on a fresh cluster), with the moments in between read from the logs.
# Each broker is the packaged jar in its own JVM (the heap of BROKER_JAVA_OPTS), run from the
# project root so application.yml applies (on-ack fsync). Every record has a 100-byte value;
# requests go to the leader of the partitions they write. Raw output: target/bench/cluster/.
#
#   bash bench/cluster-bench.sh             full run (about 25 minutes)
#   bash bench/cluster-bench.sh --quick     short smoke run (about 10 minutes)
#   options: --skip-build  --reps=N (failover repetitions per timeout)
#            --timeouts=default,10s,6s,4s (session timeouts for the failover curve; default: the broker's)
#            --only=throughput,e2e,failover  --tick-ms=N (the ZooKeeper server's tickTime, default 1000 as
#            scripts/local-cluster.sh, the chart and the embedded server use)
#   environment: CONNECTIONS_PER_PARTITION (throughput cases, default 2, each one request in flight),
#                BROKER_JAVA_OPTS (default -Xmx384m; "{id}" in it becomes the broker id, or "single"),
#                e.g. BROKER_JAVA_OPTS="-Xmx384m -XX:StartFlightRecording=filename=/tmp/broker-{id}.jfr,settings=profile"
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/bench/cluster
QUICK=0 BUILD=1 REPS="" TIMEOUTS="" ONLY=throughput,e2e,failover TICK_MS=1000
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    --skip-build) BUILD=0 ;;
    --reps=*) REPS=${arg#--reps=} ;;
    --timeouts=*) TIMEOUTS=${arg#--timeouts=} ;;
    --only=*) ONLY=${arg#--only=} ;;
    --tick-ms=*) TICK_MS=${arg#--tick-ms=} ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
if [ $QUICK = 1 ]; then
  WARMUP=5 DURATION=5 E2E_SECONDS=8
  REPS=${REPS:-1} TIMEOUTS=${TIMEOUTS:-default,4s}
else
  WARMUP=10 DURATION=15 E2E_SECONDS=20
  REPS=${REPS:-2} TIMEOUTS=${TIMEOUTS:-default,10s,6s,4s}
fi
VALUE_BYTES=100 PARTITIONS=6 CONNECTIONS_PER_PARTITION=${CONNECTIONS_PER_PARTITION:-2} E2E_RATE=10000 E2E_TICK_MS=30
BROKER_JAVA_OPTS=${BROKER_JAVA_OPTS:--Xmx384m}
BROKERS=(1 2 3)

RESULTS=$OUT/results.txt
# shellcheck source=bench/bench-lib.sh
. "$ROOT/bench/bench-lib.sh"
wants() { [[ ",$ONLY," == *",$1,"* ]]; }

# Every JVM this script starts: pids by name (zk, single, broker-N).
declare -A PID=()
cleanup() {
  local name
  for name in "${!PID[@]}"; do [[ $name == zk ]] || stop_pid "${PID[$name]}"; done
  [ -z "${PID[zk]:-}" ] || stop_pid "${PID[zk]}"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

rm -rf "$OUT"
mkdir -p "$OUT"
: > "$RESULTS"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "command: bash bench/cluster-bench.sh $*"
  echo "nproc: $(nproc)"
  echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "memory: $(free -g | awk '/^Mem:/ { print $2 " GiB total, " $7 " GiB available" }')"
  echo "kernel: $(uname -r)"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "broker JVM options: $BROKER_JAVA_OPTS"
  echo "load before: $(uptime | sed 's/.*load average: //')"
} > "$OUT/machine.txt"

# --- build ---------------------------------------------------------------------------------------
if [ $BUILD = 1 ]; then
  log "building the broker jar and the load generator"
  ./mvnw -q -B -DskipTests package
fi
./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath" > /dev/null
JAR=$(ls "$ROOT"/target/tributary-*.jar | grep -v original | head -1)
CP=$ROOT/target/test-classes:$(cat "$OUT/classpath")
bench() { java -Xmx1g -Dlogback.configurationFile="$ROOT/bench/front-logback.xml" -cp "$CP" io.tributary.bench.cluster.ClusterBench "$@"; }

# The ZooKeeper server logs at INFO with the brokers' timestamp format (session expiries are read back).
cat > "$OUT/zk-logback.xml" <<'EOF'
<configuration>
  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
    <encoder><pattern>%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX} %-5level %logger{30} - %msg%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="OUT"/></root>
</configuration>
EOF

# --- processes -----------------------------------------------------------------------------------
# Waits until $1/actuator/health is UP while pid $2 lives; 300 s at most.
wait_up() {
  local url=$1 pid=$2 t0; t0=$(now_ms)
  until curl -sf "$url/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
    kill -0 "$pid" 2>/dev/null || return 1
    [ $(( $(now_ms) - t0 )) -lt 300000 ] || return 1
    sleep 0.1
  done
}

# Starts a standalone ZooKeeper server with a fresh data directory under $1.
start_zk() {
  local dir=$1
  rm -rf "$dir"; mkdir -p "$dir"
  ZK_PORT=$(free_port)
  cat > "$dir/zoo.cfg" <<EOF
tickTime=$TICK_MS
dataDir=$dir/data
clientPort=$ZK_PORT
clientPortAddress=127.0.0.1
admin.enableServer=false
maxSessionTimeout=60000
EOF
  java -Xmx256m -Dlogback.configurationFile="$OUT/zk-logback.xml" -cp "$CP" \
    org.apache.zookeeper.server.ZooKeeperServerMain "$dir/zoo.cfg" > "$dir/zookeeper.log" 2>&1 &
  PID[zk]=$!
  for _ in $(seq 1 300); do
    (exec 3<>/dev/tcp/127.0.0.1/$ZK_PORT) 2>/dev/null && return 0
    kill -0 "${PID[zk]}" 2>/dev/null || break
    sleep 0.1
  done
  log "ZooKeeper did not start: see $dir/zookeeper.log"; return 1
}

# Broker N of the cluster in directory $CLUSTER_DIR, with the ports chosen in start_cluster and the
# session timeout $SESSION_TIMEOUT ("default": the broker's own).
launch_broker() {
  local id=$1 opts=()
  [ "$SESSION_TIMEOUT" = default ] || opts+=("--tributary.zookeeper.session-timeout=$SESSION_TIMEOUT")
  # shellcheck disable=SC2086
  java ${BROKER_JAVA_OPTS//\{id\}/$id} -jar "$JAR" --server.address=127.0.0.1 --server.port="${HTTP_PORT[$id]}" \
    --tributary.broker-id="$id" --tributary.advertised-host=127.0.0.1 --tributary.data-dir="$CLUSTER_DIR/broker-$id" \
    --tributary.zookeeper.connect="127.0.0.1:$ZK_PORT" --tributary.replication.bind-host=127.0.0.1 \
    --tributary.replication.port="${REPL_PORT[$id]}" "${opts[@]}" >> "$CLUSTER_DIR/broker-$id.log" 2>&1 &
  PID[broker-$id]=$!
}

declare -A HTTP_PORT=() REPL_PORT=()
# A fresh ZooKeeper and three brokers under $OUT/$1, with session timeout $2.
start_cluster() {
  CLUSTER_DIR=$OUT/$1 SESSION_TIMEOUT=$2
  mkdir -p "$CLUSTER_DIR"
  start_zk "$CLUSTER_DIR/zookeeper"
  local id t0; t0=$(now_ms)
  for id in "${BROKERS[@]}"; do
    HTTP_PORT[$id]=$(free_port); REPL_PORT[$id]=$(free_port)
    launch_broker "$id"
  done
  BROKER_URLS=""
  for id in "${BROKERS[@]}"; do
    wait_up "http://127.0.0.1:${HTTP_PORT[$id]}" "${PID[broker-$id]}" \
      || { log "broker $id did not come up: see $CLUSTER_DIR/broker-$id.log"; return 1; }
    BROKER_URLS+="${BROKER_URLS:+,}$id=http://127.0.0.1:${HTTP_PORT[$id]}"
  done
  log "three brokers up in $(( $(now_ms) - t0 )) ms (session timeout $SESSION_TIMEOUT): $BROKER_URLS"
}

stop_cluster() {
  local id
  for id in "${BROKERS[@]}"; do [ -z "${PID[broker-$id]:-}" ] || kill -TERM "${PID[broker-$id]}" 2>/dev/null || true; done
  for id in "${BROKERS[@]}"; do [ -z "${PID[broker-$id]:-}" ] || stop_pid "${PID[broker-$id]}"; unset "PID[broker-$id]"; done
  stop_pid "${PID[zk]}"; unset "PID[zk]"
}

# create_topic URL NAME PARTITIONS RF [MIN_ISR]
create_topic() {
  local configs=""
  [ -z "${5:-}" ] || configs=",\"configs\":{\"min.insync.replicas\":\"$5\"}"
  curl -sf -X POST "$1/api/v1/topics" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$2\",\"partitions\":$3,\"replicationFactor\":$4$configs}" > /dev/null
}

# CPU seconds used so far by the brokers this script runs (utime + stime of each JVM).
broker_cpu() {
  local name total=0
  for name in "${!PID[@]}"; do
    [[ $name == zk ]] && continue
    total=$(awk -v t="$total" -v hz="$(getconf CLK_TCK)" '{ print t + ($14 + $15) / hz }' "/proc/${PID[$name]}/stat" 2>/dev/null || echo "$total")
  done
  echo "$total"
}

# Runs one load generator case and records its RESULT lines, and for produce the cores the brokers used meanwhile.
run_case() {
  local kind=$1 name=$2 cpu0 t0; shift 2
  log "$name"
  cpu0=$(broker_cpu); t0=$(now_ms)
  bench "$kind" --name="$name" "$@" > "$OUT/$name.out" 2> "$OUT/$name.err" || true
  [ "$kind" != produce ] || put "$name.broker.cores" "$(awk -v c0="$cpu0" -v c1="$(broker_cpu)" -v ms=$(( $(now_ms) - t0 )) 'BEGIN { printf "%.2f", (c1 - c0) * 1000 / ms }')"
  local found=0
  while read -r _ key value; do put "$key" "$value"; found=1; done < <(grep '^RESULT ' "$OUT/$name.out")
  [ $found = 1 ] || put "$name" "failed (see $OUT/$name.err)"
  grep '^INFO' "$OUT/$name.err" >&2 || true
}

# --- 1. one broker, RF=1, acks=1 -----------------------------------------------------------------
run_single() {
  local dir=$OUT/single port
  mkdir -p "$dir"
  port=$(free_port)
  log "starting one broker (embedded ZooKeeper) on 127.0.0.1:$port"
  # shellcheck disable=SC2086
  java ${BROKER_JAVA_OPTS//\{id\}/single} -jar "$JAR" --server.address=127.0.0.1 --server.port="$port" --tributary.data-dir="$dir/data" \
    --tributary.zookeeper.embedded-port=0 --tributary.replication.port=0 > "$dir/broker.log" 2>&1 &
  PID[single]=$!
  wait_up "http://127.0.0.1:$port" "${PID[single]}" || { log "the broker did not come up: see $dir/broker.log"; return 1; }
  create_topic "http://127.0.0.1:$port" rf1 $PARTITIONS 1
  run_case produce single.rf1.acks1 --brokers="1=http://127.0.0.1:$port" --topic=rf1 --acks=1 \
    --connections=$CONNECTIONS_PER_PARTITION --warmup=$WARMUP --duration=$DURATION
  stop_pid "${PID[single]}"; unset "PID[single]"
}

# --- 2 and 3. three brokers, RF=3, acks=all ------------------------------------------------------
run_cluster_load() {
  local url=http://127.0.0.1:${HTTP_PORT[1]}
  if wants throughput; then
    create_topic "$url" rf3 $PARTITIONS 3 2
    bench await --brokers="$BROKER_URLS" --topic=rf3 2>&1 | grep INFO >&2 || true
    run_case produce cluster.rf3.acksall --brokers="$BROKER_URLS" --topic=rf3 --acks=all \
      --connections=$CONNECTIONS_PER_PARTITION --warmup=$WARMUP --duration=$DURATION
  fi
  if wants e2e; then
    create_topic "$url" e2e $PARTITIONS 3 2
    bench await --brokers="$BROKER_URLS" --topic=e2e 2>&1 | grep INFO >&2 || true
    run_case e2e e2e.rf3.acksall --brokers="$BROKER_URLS" --topic=e2e --acks=all --rate=$E2E_RATE \
      --tick-ms=$E2E_TICK_MS --warmup=3 --duration=$E2E_SECONDS
  fi
}

# --- 4. failover ---------------------------------------------------------------------------------
# The epoch milliseconds of an ISO-8601 timestamp at the start of a log line.
line_ms() { date -d "$(echo "$1" | awk '{ print $1 }')" +%s%3N 2>/dev/null || echo ""; }

# Reads the moments between the kill ($2, epoch ms) and the first acknowledgement from the logs of
# the cluster in $CLUSTER_DIR, for the run named $1: the session's expiry at ZooKeeper, the new
# controller (when the controller was killed), the election of the partition's new leader. Only
# lines from after the kill count (earlier runs on the same cluster wrote the same lines).
failover_timeline() {
  local name=$1 kill_ms=$2 victim=$3
  put_moment "$name.expiry.ms" "$kill_ms" "Expiring session" "$CLUSTER_DIR/zookeeper/zookeeper.log"
  put_moment "$name.controller.ms" "$kill_ms" "is the controller" "$CLUSTER_DIR"/broker-*.log
  put_moment "$name.election.ms" "$kill_ms" "failover-0 leader $victim epoch" "$CLUSTER_DIR"/broker-*.log
}

# put_moment KEY KILL_MS TEXT FILES...: the first line holding TEXT written after the kill, in ms after it.
put_moment() {
  local key=$1 kill_ms=$2 text=$3 line at; shift 3
  while read -r line; do
    at=$(line_ms "$line")
    if [ -n "$at" ] && [ "$at" -ge "$kill_ms" ]; then put "$key" $(( at - kill_ms )); return; fi
  done < <(grep -h -- "$text" "$@" | sort)
}

run_failover() {
  local timeout=$1 tag=${1//[^a-z0-9]/} rep url=http://127.0.0.1:${HTTP_PORT[1]} victim pids id name kill_ms
  create_topic "$url" failover 3 3 2
  for rep in $(seq 1 "$REPS"); do
    name=failover.$tag.$rep
    bench await --brokers="$BROKER_URLS" --topic=failover 2>&1 | grep INFO >&2 || true
    pids=""
    for id in "${BROKERS[@]}"; do pids+="${pids:+,}$id=${PID[broker-$id]}"; done
    run_case failover "$name" --brokers="$BROKER_URLS" --pids="$pids" --topic=failover --partition=0 --warmup=3 \
      --workers=4 --retry-ms=10 --timeout-ms=1000 --max-seconds=90
    victim=$(get killed); sed -i '/^killed /d' "$RESULTS"
    kill_ms=$(grep -o 'at epoch ms [0-9]*' "$OUT/$name.err" | awk '{ print $4 }' || true)
    [ -z "$victim" ] || [ -z "$kill_ms" ] || failover_timeline "$name" "$kill_ms" "$victim"
    if [ -n "$victim" ] && [ "$rep" -lt "$REPS" ]; then
      wait "${PID[broker-$victim]}" 2>/dev/null || true
      log "restarting broker $victim"
      launch_broker "$victim"
      wait_up "http://127.0.0.1:${HTTP_PORT[$victim]}" "${PID[broker-$victim]}" \
        || { log "broker $victim did not come back: see $CLUSTER_DIR/broker-$victim.log"; return 1; }
    fi
  done
}

if wants throughput; then run_single; fi
FIRST=1
for timeout in ${TIMEOUTS//,/ }; do
  if [ $FIRST = 1 ]; then
    if wants throughput || wants e2e; then
      start_cluster cluster default
      run_cluster_load
      if [ "$timeout" != default ] || ! wants failover; then stop_cluster; fi
    fi
    FIRST=0
  fi
  wants failover || break
  [ -n "${PID[zk]:-}" ] || start_cluster "failover-${timeout}" "$timeout"
  run_failover "$timeout"
  stop_cluster
done
echo "load after: $(uptime | sed 's/.*load average: //')" >> "$OUT/machine.txt"

# --- report --------------------------------------------------------------------------------------
num() { local v; v=$(get "$1"); [[ $v =~ ^[0-9.]+$ ]] && echo "$v" || echo ""; }
{
  cat "$OUT/machine.txt"
  echo
  single=$(num single.rf1.acks1) cluster=$(num cluster.rf3.acksall)
  ratio=""; [ -z "$single" ] || [ -z "$cluster" ] || ratio=$(awk -v a="$cluster" -v b="$single" 'BEGIN { printf "%.2f", a / b }')
  echo "| figure | value | target | |"
  echo "| --- | ---: | --- | --- |"
  echo "| one broker, RF=1, acks=1, records/s | $(get single.rf1.acks1) | reference | |"
  echo "| three brokers, RF=3, acks=all, records/s | $(get cluster.rf3.acksall) | | |"
  echo "| brokers' CPU during the one-broker / three-broker case, cores | $(get single.rf1.acks1.broker.cores) / $(get cluster.rf3.acksall.broker.cores) | | |"
  echo "| ratio | ${ratio:--} | >= 0.5 | $(awk -v r="${ratio:-x}" 'BEGIN { print (r == "x") ? "n/a" : (r >= 0.5 ? "met" : "MISSED") }') |"
  echo "| e2e at 10k records/s, acks=all: rate | $(get e2e.rf3.acksall.rate) | | |"
  echo "| e2e p50 / p99 / p99.9 / max, ms | $(get e2e.rf3.acksall.p50) / $(get e2e.rf3.acksall.p99) / $(get e2e.rf3.acksall.p999) / $(get e2e.rf3.acksall.max) | p99 <= 20 | $(p=$(num e2e.rf3.acksall.p99); [ -z "$p" ] && echo n/a || awk -v p="$p" 'BEGIN { print p <= 20 ? "met" : "MISSED" }') |"
  echo
  echo "failover (ms after the SIGKILL): session expired at ZooKeeper, new controller, partition leader elected, new leader seen by the producer's broker, first acks=all produce acknowledged"
  echo "| session timeout | run | killed the controller | expiry | controller | election | metadata | first ack |"
  echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
  for timeout in ${TIMEOUTS//,/ }; do
    tag=${timeout//[^a-z0-9]/}
    for rep in $(seq 1 "$REPS"); do
      n=failover.$tag.$rep
      echo "| $timeout | $rep | $(get $n.killed.controller) | $(get $n.expiry.ms) | $(get $n.controller.ms) | $(get $n.election.ms) | $(get $n.metadata.ms) | $(get $n.ms) |"
    done
  done
} | tee "$OUT/table.md"
