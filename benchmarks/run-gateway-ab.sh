#!/usr/bin/env bash
# Two builds of the gateway side by side (docs/benchmarks.md, "Gateway: two builds side by side"): the build at
# REF (A) and this working tree (B), each gateway in a JVM of its own, loaded in alternating slices by
# GatewayAbBenchmark so that both see the same machine. Prints each pair and the medians; writes no docs.
#
#   benchmarks/run-gateway-ab.sh REF [PAIRS]      e.g. benchmarks/run-gateway-ab.sh main 40
#
# Uses the java on the PATH (JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 for JDK 25). A's worktree is made
# under target/ab and removed at the end; A runs this tree's GatewayServer, so the harness is the same for both.
# GATEWAY_JVM sets both gateways' JVM flags (default -Xmx512m -XX:+UseG1GC, the harness logs at WARN), e.g.
# "-Xmx512m -XX:+UseG1GC -Dlog4j.configurationFile=/path/log4j2.xml"; GATEWAY_JVM_A / GATEWAY_JVM_B add flags to
# one side only (REF may then be HEAD, to try a setting on the same build).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { sed -n '2,9p' "$0"; exit 2; }
ref=$1
pairs=${2:-40}
root=$PWD
work=$root/benchmarks/target/ab
rm -rf "$work"
mkdir -p "$work"
git worktree add -q --detach "$work/a-tree" "$ref"
trap 'git -C "$root" worktree remove --force "$work/a-tree" || true' EXIT

# a build's classpath: this tree's benchmark classes (GatewayServer), then the build's gateway jar and its runtime
# dependencies, the build's component jar among them
build() { # dir, name
  (cd "$1" && mvn -B -ntp -q -DskipTests package dependency:build-classpath -pl camel-llm-gateway -am \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/$2.deps" >/dev/null)
  echo "$root/benchmarks/target/classes:$(ls "$1"/camel-llm-gateway/target/camel-llm-gateway-*.jar):$(cat "$work/$2.deps")"
}
echo "[ab] building A ($ref) and B (this working tree)"
cp_a=$(build "$work/a-tree" a)
cp_b=$(build "$root" b)
mvn -B -ntp -q -Pbenchmarks -DskipTests package dependency:build-classpath -pl benchmarks -am \
  -Dmdep.includeScope=runtime -Dmdep.outputFile="$work/harness.deps" >/dev/null
java -Xms1g -Xmx1g -XX:+UseG1GC "-Dbench.gateway.jvm=${GATEWAY_JVM:--Xmx512m -XX:+UseG1GC}" \
  "-Dbench.gateway.jvm.a=${GATEWAY_JVM_A:-}" "-Dbench.gateway.jvm.b=${GATEWAY_JVM_B:-}" -classpath "$root/benchmarks/target/classes:$(cat "$work/harness.deps")" \
  dev.camelllm.benchmarks.gateway.GatewayAbBenchmark "$cp_a" "$cp_b" "$pairs"
