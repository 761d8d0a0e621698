#!/usr/bin/env bash
# Makes the ahead-of-time caches of a staged release (JDK 25+, JEP 483/514/515): lib/grok-server.aot and
# lib/grok.aot, each from one training run through the release's own launchers: the server starts, a client
# opens a tunnel to the server's admin port, one request goes through it, then both stop (SIGTERM), and each JVM
# writes its cache as it exits. The launchers use a cache when it is there and the runtime can take it.
#   aot-train.sh STAGE_DIR        (run by release.sh; needs only bash and coreutils)
set -euo pipefail
stage=$(readlink -f "$1")
major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$stage/runtime/release")
if ((major < 25)); then
  echo "release: JDK $major makes no AOT cache (needs 25+); the launchers start without one" >&2
  exit 0
fi
work=$(mktemp -d)
server="" client=""
cleanup() {
  [[ -n $client ]] && kill "$client" 2>/dev/null || true
  [[ -n $server ]] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

# await_line FILE PATTERN PID: waits (at most 180 s) until FILE has a line matching PATTERN, fails if PID died.
await_line() {
  local i
  for ((i = 0; i < 900; i++)); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    if ! kill -0 "$3" 2>/dev/null; then
      echo "release: AOT training: the process stopped before printing '$2':" >&2
      cat "$1" "$1.err" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
  echo "release: AOT training: no '$2' within 180 s" >&2
  exit 1
}

GROK_JAVA_OPTS="-XX:AOTCacheOutput=$stage/lib/grok-server.aot" "$stage/bin/grok-server" --bind 127.0.0.1 \
  --http-port 0 --tunnel-port 0 --admin-port 0 --tcp-ports 10000-10000 >server.out 2>server.out.err &
server=$!
await_line server.out 'grok-server listening' "$server"
line=$(grep 'grok-server listening' server.out)
http=$(sed -n 's/.*http 127\.0\.0\.1:\([0-9]*\).*/\1/p' <<<"$line")
tunnel=$(sed -n 's/.*tunnel 127\.0\.0\.1:\([0-9]*\).*/\1/p' <<<"$line")
admin=$(sed -n 's/.*admin 127\.0\.0\.1:\([0-9]*\).*/\1/p' <<<"$line")

GROK_JAVA_OPTS="-XX:AOTCacheOutput=$stage/lib/grok.aot" "$stage/bin/grok" http "127.0.0.1:$admin" \
  --server "localhost:$tunnel" --no-inspect >client.out 2>client.out.err &
client=$!
await_line client.out '^Forwarding ' "$client"
host=$(sed -n 's#^Forwarding http://\([^ ]*\) .*#\1#p' client.out)

# One request through the tunnel (to the admin port's /health), in plain bash: no curl in a slim build image.
exec 3<>"/dev/tcp/127.0.0.1/$http"
printf 'GET /health HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$host" >&3
response=$(timeout 30 cat <&3)
exec 3>&-
if [[ $response != "HTTP/1.1 200"* ]]; then
  echo "release: AOT training: the request through the tunnel got: ${response%%$'\r'*}" >&2
  exit 1
fi

for pid in "$client" "$server"; do
  kill -TERM "$pid"
  wait "$pid" || true
done
client="" server=""
for cache in grok-server.aot grok.aot; do
  if [[ ! -s $stage/lib/$cache ]]; then
    echo "release: AOT training wrote no lib/$cache:" >&2
    cat ./*.out* >&2
    exit 1
  fi
done
echo "release: AOT caches lib/grok-server.aot ($(du -h "$stage/lib/grok-server.aot" | cut -f1))," \
  "lib/grok.aot ($(du -h "$stage/lib/grok.aot" | cut -f1))" >&2
