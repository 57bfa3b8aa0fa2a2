#!/usr/bin/env bash
# Manual check of docs/gateway.md's browser page: serves the page on http://localhost:5500, starts the routes app
# with a gateway key limited to the local model and CORS for that origin, and lets headless Chromium click it.
# Needs: the app built (./run-routes.sh once, or mvn package -DskipTests), Debian's chromium, node and npm.
# Not part of CI (it needs a browser); see docs/gateway.md.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

python3 - "$root/docs/gateway.md" "$work/index.html" <<'PY'
import re, sys
doc = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(re.search(r"```html\n(.*?)```", doc, re.S).group(1))
PY
(cd "$work" && npm init -y >/dev/null && npm install -q playwright-core@1 >/dev/null)
cp "$here/check.js" "$work/"
(cd "$work" && exec python3 -m http.server 5500 --bind 127.0.0.1 >/dev/null 2>&1) &
(cd "$root" && LLM_GATEWAY_KEY=gw-web-demo LLM_GATEWAY_MODELS=local LLM_GATEWAY_CORS_ORIGINS=http://localhost:5500 \
  LLM_HTTP_PORT=8080 exec java -Dai.djl.offline=true -jar routes/target/camel-llm-routes.jar >"$work/app.log" 2>&1) &
for _ in $(seq 60); do curl -sf http://localhost:8080/v1/health >/dev/null && break; sleep 1; done
(cd "$work" && node check.js http://localhost:5500/index.html)
