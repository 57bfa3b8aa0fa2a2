#!/usr/bin/env bash
# Builds the routes app if needed, then runs it from the repository root (so the shipped tiny model in
# models/tiny-chat is found). Arguments go to the app, e.g. --routes my-routes/ to add your YAML routes.
set -euo pipefail
cd "$(dirname "$0")"
# a JDK 21+ when one is installed: every call then runs on a virtual thread
. tools/jdk.sh
echo "run-routes: $LLM_JDK_NOTE" >&2
jar=routes/target/camel-llm-routes.jar
if [ ! -f "$jar" ] || [ -n "$(find camel-llm-component/src camel-llm-gateway/src routes/src pom.xml -newer "$jar" -print -quit)" ]; then
  mvn -B -q -ntp package -DskipTests
fi
# JAVA_OPTS go to the JVM, e.g. JAVA_OPTS=-Xmx1g to cap the heap (docs/benchmarks.md: 9,500 streams fit in it)
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -Dai.djl.offline=true -jar "$jar" "$@"
