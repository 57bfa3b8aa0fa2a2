#!/usr/bin/env bash
# Many concurrent long streams through the packaged routes app (docs/benchmarks.md, "Concurrent streams").
# Builds the routes app and the benchmarks module, then runs StreamsBenchmark once per matrix entry, each in
# a JVM of its own that starts (and always stops) the fake upstream and the app.
#
#   benchmarks/run-streams.sh [--no-build] [--no-doc] ENTRY... [-- HARNESS_OPTION...]
#
#   ENTRY = TARGET:N:D:JDK[:LABEL]   TARGET gateway|route|bare, N streams of D seconds, JDK 17 | 25 | a path to java
#                                    (bare: the client straight to the fake, no app: the harness's own capacity)
#   HARNESS_OPTION: passed to every run, e.g. -Dcamel.component.llm.profiles[cloud-only].timeout=60000 (onto the app's java), --env LLM_MAX_IN_FLIGHT=5000,
#                   --jvm-opt -Xmx1g, --warmup 0, --hard-limit 120 (default 5 x D + 60 s),
#                   --client-http2 (h2c to the app, 50 streams a connection: 10,000 streams under a 20,000 fd limit)
#
#   benchmarks/run-streams.sh gateway:500:3:17:before gateway:500:3:25:before gateway:2000:10:25:before
set -euo pipefail
cd "$(dirname "$0")/.."

build=1
doc=()
entries=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-build) build=0 ;;
    --no-doc) doc=(--no-doc) ;;
    --) shift; break ;;
    *) entries+=("$1") ;;
  esac
  shift
done
extra=("$@")
# a --hard-limit among the options raises the outer bound below
hard=0
for ((i = 0; i < ${#extra[@]}; i++)); do
  [ "${extra[$i]}" = --hard-limit ] && hard=${extra[$((i + 1))]%.*}
done
[ ${#entries[@]} -gt 0 ] || { sed -n '2,14p' "$0"; exit 2; }

cp_file=$PWD/benchmarks/target/streams.classpath
if [ $build = 1 ] || [ ! -f "$cp_file" ] || [ ! -f routes/target/camel-llm-routes.jar ]; then
  echo "[run-streams] building the routes app and the benchmarks module"
  mvn -B -ntp -q -Pbenchmarks package dependency:build-classpath -DskipTests -pl routes,benchmarks -am \
      -Dmdep.outputFile="$cp_file"
fi
cp="$PWD/benchmarks/target/classes:$(cat "$cp_file")"

# 10,000 streams hold ~20,000 sockets in the app (inbound + upstream): raise the open-files limit for the
# child processes where this shell may (it needs CAP_SYS_RESOURCE to go above the hard limit)
ulimit -Hn 1048576 2>/dev/null || true
ulimit -Sn "$(ulimit -Hn)" 2>/dev/null || true
echo "[run-streams] open files limit: soft $(ulimit -Sn), hard $(ulimit -Hn);" \
     "ephemeral ports $(tr '\t' '-' </proc/sys/net/ipv4/ip_local_port_range)"

pidfile=$(mktemp -t run-streams-pids.XXXXXX)
cleanup() {
  # the harness stops its children itself; this catches those of a harness that was killed (only a pid that
  # is still one of ours: the app's jar or the fake on its command line)
  while read -r pid; do
    if [ -n "$pid" ] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q -e camel-llm-routes.jar -e SseFake; then
      kill -9 "$pid" 2>/dev/null || true
    fi
  done <"$pidfile"
  rm -f "$pidfile"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

jdk_path() {
  case "$1" in
    17) echo /usr/lib/jvm/java-17-openjdk-amd64/bin/java ;;
    25) echo /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ;;
    *) echo "$1" ;;
  esac
}

status=0
for entry in "${entries[@]}"; do
  IFS=: read -r target n d jdk label <<<"$entry"
  java_bin=$(jdk_path "$jdk")
  [ -x "$java_bin" ] || { echo "[run-streams] no java at $java_bin (entry $entry)"; status=1; continue; }
  # the harness stops itself at 5 x D + 60 s of streaming (or --hard-limit); app start and warm-up come on top
  limit=$((5 * d + 60)); [ "$hard" -gt "$limit" ] && limit=$hard
  bound=$((limit + 300))
  echo "[run-streams] $entry (outer bound ${bound}s), load average: $(cut -d' ' -f1-3 /proc/loadavg)"
  timeout --kill-after=20 "$bound" java -Xms512m -Xmx2g -XX:+UseG1GC -cp "$cp" \
      -Dbench.streams.pidfile="$pidfile" \
      -Dbench.streams.command="benchmarks/run-streams.sh $entry${extra[*]:+ -- ${extra[*]}}" \
      dev.camelllm.benchmarks.streams.StreamsBenchmark --target "$target" --n "$n" --d "$d" --java "$java_bin" \
      --jar routes/target/camel-llm-routes.jar --label "${label:-}" "${doc[@]}" "${extra[@]}" \
    || { echo "[run-streams] $entry failed (exit $?)"; status=1; }
  cleanup; pidfile=$(mktemp -t run-streams-pids.XXXXXX)
done
exit $status
