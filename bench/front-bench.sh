#!/usr/bin/env bash
# The front benchmark: Tributary's HTTP and WebSocket front against Apache Kafka, in one run on one
# machine. Kafka 4.x (a single-node KRaft broker from the Maven Central jars, on loopback) runs first
# with its own producer and consumer performance tools; then a Tributary broker (the packaged jar,
# its own JVM) runs the load generator's cases (bench/src/main/java/io/tributary/bench/front). The
# two brokers never run at the same time. Prints every figure with its ratio to Kafka's and the
# targets met or missed; raw output goes to target/bench/front/.
#
#   bash bench/front-bench.sh            full run (about 10 minutes)
#   bash bench/front-bench.sh --quick    short smoke run (about 3 minutes)
#   options: --skip-build  --no-kafka  --profile (JFR of the broker under each missed case)
#            --report-only (print the table of the last run's target/bench/front/results.txt again)
#   environment: BROKER_JAVA_OPTS (JVM options of the Tributary broker, default -Xmx384m, the heap
#                the README's run command gives it),
#                KAFKA_HEAP_OPTS (default -Xms1g -Xmx1g, as kafka-server-start.sh)
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/bench/front
QUICK=0 BUILD=1 KAFKA=1 PROFILE=0 REPORT_ONLY=0
for arg in "$@"; do
  case $arg in
    --quick) QUICK=1 ;;
    --skip-build) BUILD=0 ;;
    --no-kafka) KAFKA=0 ;;
    --profile) PROFILE=1 ;;
    --report-only) REPORT_ONLY=1 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done

if [ $QUICK = 1 ]; then
  WARMUP=2 DURATION=5 CONSUME_RECORDS=500000 KAFKA_RECORDS=1000000 E2E_SECONDS=8 WARMUP_RECORDS=200000
else
  WARMUP=5 DURATION=15 CONSUME_RECORDS=5000000 KAFKA_RECORDS=8000000 E2E_SECONDS=20 WARMUP_RECORDS=1000000
fi
VALUE_BYTES=100
PARTITIONS=6
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms1g -Xmx1g}
BROKER_JAVA_OPTS=${BROKER_JAVA_OPTS:--Xmx384m}

RESULTS=$OUT/results.txt
# shellcheck source=bench/bench-lib.sh
. "$ROOT/bench/bench-lib.sh"

# Samples a process's VmRSS every 0.5 s into a file, in kB, until it exits.
sample_rss() {
  local pid=$1 file=$2
  while kill -0 "$pid" 2>/dev/null; do
    awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null >> "$file" || true
    sleep 0.5
  done
}
max_mib() { sort -n "$1" | tail -1 | awk '{ printf "%.0f", $1 / 1024 }'; }

KPID="" TPID=""
cleanup() { [ -z "$KPID" ] || stop_pid "$KPID"; [ -z "$TPID" ] || stop_pid "$TPID"; }
trap cleanup EXIT

if [ $REPORT_ONLY = 0 ]; then
rm -rf "$OUT"
mkdir -p "$OUT"
: > "$RESULTS"
{
  echo "date: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "command: bash bench/front-bench.sh $*"
  echo "nproc: $(nproc)"
  echo "cpu: $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)"
  echo "memory: $(free -g | awk '/^Mem:/ { print $2 " GiB total, " $7 " GiB available" }')"
  echo "java: $(java -version 2>&1 | head -1)"
  echo "load before: $(uptime | sed 's/.*load average: //')"
} > "$OUT/machine.txt"
fi

# --- build ---------------------------------------------------------------------------------------
if [ $REPORT_ONLY = 0 ]; then
  if [ $BUILD = 1 ]; then
    log "building the broker jar and the load generator"
    ./mvnw -q -B -DskipTests package
  fi
  ./mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/tributary.classpath" > /dev/null
fi
JAR=$(ls "$ROOT"/target/tributary-*.jar | grep -v original | head -1)
BENCH_CP=$ROOT/target/test-classes:$(cat "$OUT/tributary.classpath")
bench() { java -Xmx1g -Dlogback.configurationFile="$ROOT/bench/front-logback.xml" -cp "$BENCH_CP" io.tributary.bench.front.FrontBench "$@"; }

# --- Apache Kafka, the reference -----------------------------------------------------------------
run_kafka() {
  ./mvnw -q -B -f bench/kafka/pom.xml dependency:build-classpath -Dmdep.outputFile="$OUT/kafka.classpath" > /dev/null
  local kcp; kcp=$(cat "$OUT/kafka.classpath")
  local kdir=$OUT/kafka bport cport
  mkdir -p "$kdir"
  bport=$(free_port); cport=$(free_port)
  while [ "$cport" = "$bport" ]; do cport=$(free_port); done
  cat > "$kdir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$bport,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$bport
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$kdir/logs
num.partitions=$PARTITIONS
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
  cat > "$kdir/log4j2.properties" <<EOF
rootLogger.level=WARN
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=$kdir/kafka.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
logger.started.name=kafka.server.KafkaRaftServer
logger.started.level=INFO
EOF
  local kjava=(java -Dlog4j2.configurationFile="$kdir/log4j2.properties" -cp "$kcp")
  local cluster_id
  cluster_id=$("${kjava[@]}" kafka.tools.StorageTool random-uuid)
  "${kjava[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$kdir/server.properties" > "$kdir/format.out"

  log "starting Kafka (KRaft, combined mode) on 127.0.0.1:$bport"
  local t0; t0=$(now_ms)
  # shellcheck disable=SC2086
  java $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -Dlog4j2.configurationFile="$kdir/log4j2.properties" -cp "$kcp" kafka.Kafka "$kdir/server.properties" \
    > "$kdir/kafka.out" 2>&1 &
  KPID=$!
  local kpid=$KPID
  for _ in $(seq 1 1200); do
    grep -q "Kafka Server started" "$kdir/kafka.log" 2>/dev/null && break
    kill -0 $kpid || { log "Kafka died: see $kdir"; return 1; }
    sleep 0.05
  done
  put kafka.start.ms $(( $(now_ms) - t0 ))
  sample_rss $kpid "$kdir/rss.kb" &

  "${kjava[@]}" org.apache.kafka.tools.TopicCommand --bootstrap-server 127.0.0.1:$bport --create --topic perf \
    --partitions $PARTITIONS --replication-factor 1 > "$kdir/topic.out"
  local acks line
  for acks in 1 all; do
    log "Kafka ProducerPerformance: $KAFKA_RECORDS x $VALUE_BYTES B, acks=$acks"
    "${kjava[@]}" org.apache.kafka.tools.ProducerPerformance --topic perf --num-records "$KAFKA_RECORDS" \
      --record-size $VALUE_BYTES --throughput -1 --producer-props bootstrap.servers=127.0.0.1:$bport acks=$acks \
      > "$kdir/producer-acks$acks.out" 2>&1
    line=$(grep "records sent" "$kdir/producer-acks$acks.out" | tail -1)
    put "kafka.producer.acks$acks" "$(echo "$line" | awk -F'[ ,]+' '{ print $4 }')"
  done
  log "Kafka ConsumerPerformance: $CONSUME_RECORDS records"
  "${kjava[@]}" org.apache.kafka.tools.ConsumerPerformance --bootstrap-server 127.0.0.1:$bport --topic perf \
    --messages "$CONSUME_RECORDS" --timeout 120000 > "$kdir/consumer.out" 2>&1
  # start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms,
  # fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec: fetch.nMsg.sec leaves out joining the group
  put kafka.consumer "$(grep -E '^[0-9]{4}-' "$kdir/consumer.out" | tail -1 | awk -F', *' '{ print $10 }')"
  stop_pid $kpid
  KPID=""
  put kafka.rss.max.mib "$(max_mib "$kdir/rss.kb")"
}

# --- Tributary -----------------------------------------------------------------------------------
create_topic() {
  curl -sf -X POST "$URL/api/v1/topics" -H 'Content-Type: application/json' \
    -d "{\"name\":\"$1\",\"partitions\":$PARTITIONS}" > /dev/null
}

# Runs one load generator case and records its RESULT lines; extra arguments go to the case.
run_case() {
  local kind=$1 name=$2; shift 2
  log "Tributary $name"
  bench "$kind" --url="$URL" --name="$name" "$@" > "$OUT/tributary/$name.out" 2> "$OUT/tributary/$name.err" || true
  local found=0
  while read -r _ key value; do put "$key" "$value"; found=1; done < <(grep '^RESULT ' "$OUT/tributary/$name.out")
  [ $found = 1 ] || put "$name" "failed (see $OUT/tributary/$name.err)"
  grep '^INFO' "$OUT/tributary/$name.err" >&2 || true
}

throughput_cases() {
  local c acks
  for c in 4 16; do
    for acks in 1 all; do
      create_topic "http-c$c-acks$acks"
      run_case produce "http.c$c.acks$acks" --topic="http-c$c-acks$acks" --connections=$c --acks=$acks \
        --warmup=$WARMUP --duration=$DURATION
    done
  done
  create_topic ndjson
  run_case ndjson ndjson.c4.acksall --topic=ndjson --connections=4 --acks=all --warmup=$WARMUP --duration=$DURATION
  create_topic ws-produce
  run_case ws-produce ws.produce.c4.acksall --topic=ws-produce --connections=4 --acks=all --warmup=$WARMUP \
    --duration=$DURATION
}

run_tributary() {
  local tdir=$OUT/tributary port attempt
  mkdir -p "$tdir"
  for attempt in 1 2 3; do
    port=$(free_port)
    URL=http://127.0.0.1:$port
    log "starting Tributary on $URL"
    rm -rf "$tdir/data"
    local t0; t0=$(now_ms)
    # Run from the project root so application.yml applies; the options below override its port and
    # data directory (an absolute path: H2 refuses a relative one) and pick free ZooKeeper and
    # replication ports.
    # shellcheck disable=SC2086
    java $BROKER_JAVA_OPTS -jar "$JAR" --server.port="$port" --tributary.data-dir="$tdir/data" \
      --tributary.zookeeper.embedded-port=0 --tributary.replication.port=0 > "$tdir/broker.log" 2>&1 &
    TPID=$!
    until curl -sf "$URL/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
      kill -0 $TPID 2>/dev/null || break
      [ $(( $(now_ms) - t0 )) -lt 300000 ] || { log "Tributary not healthy after 300 s: see $tdir/broker.log"; return 1; }
      sleep 0.05
    done
    kill -0 $TPID 2>/dev/null && break
    TPID=""
    # another program on this shared machine may take the port between the check and the bind
    grep -q "listening on port" "$tdir/broker.log" || { log "Tributary died: see $tdir/broker.log"; return 1; }
    log "port $port was taken meanwhile; again"
  done
  [ -n "$TPID" ] || return 1
  put tributary.start.ms $(( $(now_ms) - t0 ))
  sample_rss $TPID "$tdir/rss.kb" &

  # the broker's JIT warms up before the first measured case
  create_topic warmup
  bench fill --url="$URL" --topic=warmup --records="$WARMUP_RECORDS" --connections=8 2>&1 | grep INFO >&2 || true

  throughput_cases

  create_topic consume
  log "filling topic consume with $CONSUME_RECORDS records"
  bench fill --url="$URL" --topic=consume --records="$CONSUME_RECORDS" --connections=8 2>&1 | grep INFO >&2 || true
  run_case ws-consume ws.consume --topic=consume --records="$CONSUME_RECORDS" --partitions=$PARTITIONS
  run_case fetch rest.fetch --topic=consume --partitions=$PARTITIONS --max-records=10000

  create_topic e2e-ws
  run_case e2e e2e.ws --topic=e2e-ws --via=ws --per-tick=10 --tick-ms=1 --warmup=3 --duration=$E2E_SECONDS
  create_topic e2e-rest
  run_case e2e e2e.rest --topic=e2e-rest --via=rest --per-tick=10 --tick-ms=1 --warmup=3 --duration=$E2E_SECONDS

  put tributary.rss.max.mib "$(max_mib "$tdir/rss.kb")"
  put tributary.hwm.mib "$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' /proc/$TPID/status)"
  put tributary.heap "$(jcmd $TPID GC.heap_info 2>/dev/null | grep -m1 -E 'heap|total' | sed 's/^ *//')"
}

# --- targets -------------------------------------------------------------------------------------
num() { local v; v=$(get "$1"); [[ $v =~ ^[0-9.]+$ ]] && echo "$v" || echo ""; }
ratio() {
  local a b; a=$(num "$1"); b=$(num "$2")
  if [ -n "$a" ] && [ -n "$b" ]; then awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2f", a / b }'; fi
}
# verdict <value> <op> <limit>: met | MISSED | n/a
verdict() { if [ -z "$1" ] || [ -z "$3" ]; then echo "n/a"; return; fi; awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? v >= l : v <= l; print ok ? "met" : "MISSED" }'; }

MISSED_CASES=()
report() {
  local table=$OUT/table.md
  {
    echo "| figure | Tributary | Kafka | ratio | target | |"
    echo "| --- | ---: | ---: | ---: | --- | --- |"
    local row name kafka target op limit value r v
    # name | kafka key | target as "op ratio-or-absolute kind"
    for row in \
      "http.c4.acks1|kafka.producer.acks1|>= 1.0 ratio" \
      "http.c4.acksall|kafka.producer.acksall|>= 1.0 ratio" \
      "http.c16.acks1|kafka.producer.acks1|>= 1.0 ratio" \
      "http.c16.acksall|kafka.producer.acksall|>= 1.0 ratio" \
      "ndjson.c4.acksall|kafka.producer.acksall|" \
      "ws.produce.c4.acksall|kafka.producer.acksall|" \
      "ws.consume|kafka.consumer|>= 0.5 ratio" \
      "rest.fetch|kafka.consumer|" \
      "e2e.ws.rate||>= 9000 records/s" "e2e.ws.p50||<= 1 ms" "e2e.ws.p99||<= 5 ms" "e2e.ws.p999||" \
      "e2e.rest.rate||>= 9000 records/s" "e2e.rest.p50||" "e2e.rest.p99||" "e2e.rest.p999||" \
      "tributary.start.ms|kafka.start.ms|<= 5000 ms" \
      "tributary.rss.max.mib|kafka.rss.max.mib|<= 600 MiB" \
      "tributary.hwm.mib||"; do
      IFS='|' read -r name kafka target <<< "$row"
      value=$(get "$name"); [ -n "$value" ] || value=$(get "${name%.*}"); [ -n "$value" ] || value="-"
      r=""; [ -n "$kafka" ] && r=$(ratio "$name" "$kafka")
      v=""
      if [ -n "$target" ]; then
        read -r op limit kind <<< "$target"
        if [ "$kind" = ratio ]; then v=$(verdict "$r" "$op" "$limit"); else v=$(verdict "$(num "$name")" "$op" "$limit"); fi
        [ "$v" = MISSED ] && MISSED_CASES+=("$name")
      fi
      echo "| $name | $value | ${kafka:+$(get "$kafka")} | ${r:-} | ${target:-} | ${v:-} |"
    done
  } > "$table"
  cat "$table"
}

if [ $REPORT_ONLY = 1 ]; then
  cat "$OUT/machine.txt"; echo; report; exit 0
fi
[ $KAFKA = 1 ] && run_kafka
run_tributary
echo "load after: $(uptime | sed 's/.*load average: //')" >> "$OUT/machine.txt"

echo
cat "$OUT/machine.txt"
echo
echo "records/s for throughput (100 B values); milliseconds for latency and start; MiB for memory"
report

# --- profile the misses --------------------------------------------------------------------------
if [ $PROFILE = 1 ] && [ ${#MISSED_CASES[@]} -gt 0 ]; then
  for name in "${MISSED_CASES[@]}"; do
    jfr=$OUT/$name.jfr
    case $name in
      http.c*.acks*)
        c=${name#http.c}; c=${c%%.*}; acks=${name##*.acks}
        log "profiling $name"
        jcmd $TPID JFR.start name=bench filename="$jfr" settings=profile > /dev/null
        bench produce --url="$URL" --topic="http-c$c-acks$acks" --connections="$c" --acks="$acks" --warmup="$WARMUP" \
          --duration="$DURATION" > /dev/null 2>&1 || true ;;
      ws.consume|rest.fetch)
        log "profiling $name"
        jcmd $TPID JFR.start name=bench filename="$jfr" settings=profile > /dev/null
        if [ $name = rest.fetch ]; then
          bench fetch --url="$URL" --topic=consume --partitions=$PARTITIONS > /dev/null 2>&1 || true
        else
          bench ws-consume --url="$URL" --topic=consume --records="$CONSUME_RECORDS" > /dev/null 2>&1 || true
        fi ;;
      *) continue ;;
    esac
    # recorded from before the client starts until its case is over
    jcmd $TPID JFR.stop name=bench > /dev/null 2>&1 || true
    for _ in $(seq 1 100); do [ -s "$jfr" ] && break; sleep 0.2; done
    java -cp "$BENCH_CP" io.tributary.bench.front.JfrTopFrames "$jfr" 25 > "$OUT/$name.profile.txt" || true
    echo; echo "profile of $name ($jfr):"; head -60 "$OUT/$name.profile.txt"
  done
fi

log "stopping Tributary (SIGTERM)"
stop_pid "$TPID"
TPID=""
