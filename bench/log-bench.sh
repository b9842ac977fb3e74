#!/usr/bin/env bash
# Storage-engine benchmark: appends, reads and reopens of io.tributary.log beside the machine's raw
# write limit, in one run. Results are printed and written to target/log-bench-results.md.
#
#   bash bench/log-bench.sh            full run (3 runs per case, about 12 minutes)
#   bash bench/log-bench.sh --quick    one short run per case (about 2 minutes)
#   bash bench/log-bench.sh --jfr ...  also records a JFR profile to target/log-bench.jfr
#
# Other options (--runs=N, --warmup-ms=N, --measure-ms=N, --log-mib=N, --only=TEXT) are listed by
# LogBench when given a wrong one. Data goes to target/log-bench-data and is deleted at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

jvm_flags=(-Xms2g -Xmx2g -XX:+UseG1GC -XX:+AlwaysPreTouch)
args=()
for arg in "$@"; do
  if [[ "$arg" == "--jfr" ]]; then
    jvm_flags+=(-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints
      "-XX:StartFlightRecording=filename=target/log-bench.jfr,settings=profile,dumponexit=true")
  else
    args+=("$arg")
  fi
done

./mvnw -q -DskipTests test-compile
./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
scratch=target/log-bench-data
trap 'rm -rf "$scratch"' EXIT

java "${jvm_flags[@]}" \
  -Dlogback.configurationFile=bench/log-bench-logback.xml \
  -Dbench.command="bash bench/log-bench.sh${*:+ $*}" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tributary.bench.log.LogBench --scratch="$scratch" "${args[@]+"${args[@]}"}"
