#!/usr/bin/env bash
# A local three-broker Tributary cluster on loopback, sharing one standalone ZooKeeper server.
#
#   scripts/local-cluster.sh start    build the jar if needed, start ZooKeeper and brokers 1-3
#   scripts/local-cluster.sh status   which processes run, and each broker's health
#   scripts/local-cluster.sh stop     stop the processes this script started (by recorded pid)
#
# Each broker is its own JVM with its own data directory under .local-cluster/ and its own ports:
# broker N serves HTTP on 808N and replication on 909(3+N). ZooKeeper listens on 127.0.0.1:2191
# (ZK_PORT overrides it). Logs go to .local-cluster/logs/.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="${ROOT}/.local-cluster"
PIDS="${STATE}/pids"
LOGS="${STATE}/logs"
ZK_PORT="${ZK_PORT:-2191}"
BROKERS=(1 2 3)

jar_path() {
  ls "${ROOT}"/target/tributary-*.jar 2>/dev/null | grep -v original | head -n 1
}

build() {
  if [[ -z "$(jar_path)" ]]; then
    echo "Building the broker jar (./mvnw package -DskipTests)..."
    (cd "${ROOT}" && ./mvnw -B -q package -DskipTests)
  fi
  if [[ ! -s "${STATE}/classpath.txt" ]]; then
    echo "Resolving the ZooKeeper server class path..."
    (cd "${ROOT}" && ./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=runtime \
      -Dmdep.outputFile="${STATE}/classpath.txt")
  fi
}

running() {
  local pid_file="${PIDS}/$1.pid"
  [[ -f "${pid_file}" ]] && kill -0 "$(cat "${pid_file}")" 2>/dev/null
}

start_zookeeper() {
  if running zookeeper; then
    echo "zookeeper already running (pid $(cat "${PIDS}/zookeeper.pid"))"
    return
  fi
  mkdir -p "${STATE}/zookeeper"
  cat > "${STATE}/zookeeper/zoo.cfg" <<CFG
tickTime=1000
dataDir=${STATE}/zookeeper/data
clientPort=${ZK_PORT}
clientPortAddress=127.0.0.1
admin.enableServer=false
maxSessionTimeout=60000
CFG
  java -cp "$(cat "${STATE}/classpath.txt")" org.apache.zookeeper.server.ZooKeeperServerMain \
    "${STATE}/zookeeper/zoo.cfg" > "${LOGS}/zookeeper.log" 2>&1 &
  echo $! > "${PIDS}/zookeeper.pid"
  echo "zookeeper started on 127.0.0.1:${ZK_PORT} (pid $!)"
}

start_broker() {
  local id=$1
  if running "broker-${id}"; then
    echo "broker ${id} already running (pid $(cat "${PIDS}/broker-${id}.pid"))"
    return
  fi
  java -jar "$(jar_path)" \
    --server.address=127.0.0.1 \
    --server.port=$((8080 + id)) \
    --tributary.broker-id="${id}" \
    --tributary.advertised-host=127.0.0.1 \
    --tributary.data-dir="${STATE}/broker-${id}" \
    --tributary.zookeeper.connect="127.0.0.1:${ZK_PORT}" \
    --tributary.replication.bind-host=127.0.0.1 \
    --tributary.replication.port=$((9093 + id)) \
    > "${LOGS}/broker-${id}.log" 2>&1 &
  echo $! > "${PIDS}/broker-${id}.pid"
  echo "broker ${id} started: http://127.0.0.1:$((8080 + id)), replication 127.0.0.1:$((9093 + id)) (pid $!)"
}

wait_healthy() {
  local id=$1
  for _ in $(seq 1 300); do
    if curl -fs "http://127.0.0.1:$((8080 + id))/actuator/health" > /dev/null 2>&1; then
      return 0
    fi
    if ! running "broker-${id}"; then
      echo "broker ${id} exited; see ${LOGS}/broker-${id}.log" >&2
      return 1
    fi
    sleep 1
  done
  echo "broker ${id} did not become healthy; see ${LOGS}/broker-${id}.log" >&2
  return 1
}

start() {
  mkdir -p "${PIDS}" "${LOGS}"
  build
  start_zookeeper
  for id in "${BROKERS[@]}"; do
    start_broker "${id}"
  done
  for id in "${BROKERS[@]}"; do
    wait_healthy "${id}"
  done
  echo "cluster up: any broker takes any request, e.g."
  echo "  curl -s -X POST 127.0.0.1:8081/api/v1/topics -H 'Content-Type: application/json' \\"
  echo "    -d '{\"name\":\"orders\",\"partitions\":3,\"replicationFactor\":3,\"configs\":{\"min.insync.replicas\":\"2\"}}'"
}

stop_one() {
  local name=$1
  local pid_file="${PIDS}/${name}.pid"
  [[ -f "${pid_file}" ]] || return 0
  local pid
  pid=$(cat "${pid_file}")
  if kill -0 "${pid}" 2>/dev/null; then
    kill "${pid}"
    for _ in $(seq 1 60); do
      kill -0 "${pid}" 2>/dev/null || break
      sleep 0.5
    done
    echo "${name} stopped (pid ${pid})"
  fi
  rm -f "${pid_file}"
}

stop() {
  for id in "${BROKERS[@]}"; do
    stop_one "broker-${id}"
  done
  stop_one zookeeper
}

status() {
  if running zookeeper; then
    echo "zookeeper  running  pid $(cat "${PIDS}/zookeeper.pid")  127.0.0.1:${ZK_PORT}"
  else
    echo "zookeeper  stopped"
  fi
  for id in "${BROKERS[@]}"; do
    if running "broker-${id}"; then
      local health
      health=$(curl -fs "http://127.0.0.1:$((8080 + id))/actuator/health" 2>/dev/null \
        | sed -E 's/.*"status":"([A-Z_]+)"\}$/\1/' || true)
      echo "broker-${id}   running  pid $(cat "${PIDS}/broker-${id}.pid")  http://127.0.0.1:$((8080 + id))  health ${health:-unreachable}"
    else
      echo "broker-${id}   stopped"
    fi
  done
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
