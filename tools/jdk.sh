#!/usr/bin/env bash
# Sourced by run-routes.sh and .ci/run: picks a JDK 21+ when one is installed (virtual threads: a call in
# flight holds no platform thread), else the default JDK (Java 17: a bounded pool that sheds when full).
# Sets JAVA_HOME and PATH, and LLM_JDK_NOTE to say which JDK was picked.

jdk_major() {
  local release="$1/release"
  [ -f "$release" ] || return 1
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$release"
}

pick_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  for d in /usr/lib/jvm/*; do candidates+=("$d"); done
  local best="" best_major=0
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    local major
    major=$(jdk_major "$home") || continue
    [ -n "$major" ] || continue
    # JAVA_HOME wins when it is 21+; otherwise the newest 21+ under /usr/lib/jvm
    if [ "$home" = "${JAVA_HOME:-}" ] && [ "$major" -ge 21 ]; then best="$home"; best_major=$major; break; fi
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best="$home"; best_major=$major; fi
  done
  if [ -n "$best" ]; then
    export JAVA_HOME="$best"
    export PATH="$JAVA_HOME/bin:$PATH"
    LLM_JDK_NOTE="JDK $best_major at $JAVA_HOME (virtual threads)"
  else
    LLM_JDK_NOTE="the default JDK ($(java -version 2>&1 | head -n 1)); no JDK 21+ found, so calls run on a bounded pool of platform threads"
  fi
  export LLM_JDK_NOTE
}

pick_jdk
