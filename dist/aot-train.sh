#!/usr/bin/env bash
# Makes the ahead-of-time caches (JDK 25+, JEP 483/514/515) grok-server.aot and grok.aot in OUT_DIR, each from one
# training run through the launchers in BIN_DIR: the server starts, a client opens a tunnel (inspector on, as by
# default), exchanges go through it, then both stop (SIGTERM), and each JVM writes its cache as it exits. The
# launchers use a cache when it is there and the runtime can take it.
# The exchanges: with a full JDK in JAVA_HOME (one with jdk.compiler, for the source launcher), AotTrainLoad.java
# (next to this script) is the local service and sends a few thousand GETs, POSTs, downloads and WebSocket echoes
# through the tunnel, so the caches also hold the method profiles of the request path (a faster warm-up); without
# one, the tunnel goes to the server's admin port and one request goes through it (classes only, a faster start).
#   aot-train.sh BIN_DIR OUT_DIR   (needs bash and coreutils; the caller checks the JDK is 25+)
# Run by release.sh (STAGE/bin, STAGE/lib) and by the checkout's launchers after a build (bin/, cli/target/).
set -euo pipefail
bin=$(readlink -f "$1") out=$(readlink -f "$2")
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
work=$(mktemp -d)
server="" client="" load=""
cleanup() {
  [[ -n $load ]] && kill "$load" 2>/dev/null || true
  [[ -n $client ]] && kill "$client" 2>/dev/null || true
  [[ -n $server ]] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
# The training sees none of the caller's grok settings (a token, a config file, a data dir) and takes no cache;
# the server keeps its data in ./grok-data, where the client finds the admin token.
while read -r name; do unset "$name"; done < <(compgen -e | grep '^GROK_' || true)
export HOME=$work GROK_AOT=0

# await_line FILE PATTERN PID: waits (at most 180 s) until FILE has a line matching PATTERN, fails if PID died.
await_line() {
  local i
  for ((i = 0; i < 900; i++)); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    if ! kill -0 "$3" 2>/dev/null; then
      echo "aot-train: the process stopped before printing '$2':" >&2
      cat "$1" "$1.err" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
  echo "aot-train: no '$2' within 180 s" >&2
  exit 1
}

GROK_JAVA_OPTS="-XX:AOTCacheOutput=$out/grok-server.aot" "$bin/grok-server" --bind 127.0.0.1 \
  --http-port 0 --tunnel-port 0 --admin-port 0 --tcp-ports 10000-10000 >server.out 2>server.out.err &
server=$!
await_line server.out 'grok-server listening' "$server"
line=$(grep 'grok-server listening' server.out)
http=$(sed -n 's/.*http 127\.0\.0\.1:\([0-9]*\).*/\1/p' <<<"$line")
tunnel=$(sed -n 's/.*tunnel 127\.0\.0\.1:\([0-9]*\).*/\1/p' <<<"$line")
admin=$(sed -n 's/.*admin 127\.0\.0\.1:\([0-9]*\).*/\1/p' <<<"$line")

# The load's JVM: JAVA_HOME's, when it can run a source file (a jlinked runtime cannot: no jdk.compiler).
trainer=""
if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java && -f $here/AotTrainLoad.java ]] &&
  "$JAVA_HOME/bin/java" --list-modules 2>/dev/null | grep -q '^jdk\.compiler@'; then
  trainer=$JAVA_HOME/bin/java
fi
target="127.0.0.1:$admin"
if [[ -n $trainer ]]; then
  # C1 only and a serial collector: the load generator's own warm-up is not what is trained.
  "$trainer" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC "$here/AotTrainLoad.java" "$work" "$http" \
    >load.out 2>&1 &
  load=$!
  await_line origin.port '^[0-9]' "$load"
  target="127.0.0.1:$(cat origin.port)"
fi

GROK_JAVA_OPTS="-XX:AOTCacheOutput=$out/grok.aot" "$bin/grok" http "$target" \
  --server "localhost:$tunnel" --inspect-port 0 >client.out 2>client.out.err &
client=$!
await_line client.out '^Forwarding ' "$client"
host=$(sed -n 's#^Forwarding http://\([^ ]*\) .*#\1#p' client.out)

if [[ -n $trainer ]]; then
  printf '%s\n' "$host" >host.tmp && mv host.tmp host
  if ! wait "$load"; then
    load=""
    echo "aot-train: the load through the tunnel failed:" >&2
    cat load.out >&2
    exit 1
  fi
  load=""
  cat load.out >&2
else
  # One request through the tunnel (to the admin port's /health), in plain bash: no curl in a slim build image.
  exec 3<>"/dev/tcp/127.0.0.1/$http"
  printf 'GET /health HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$host" >&3
  response=$(timeout 30 cat <&3)
  exec 3>&-
  if [[ $response != "HTTP/1.1 200"* ]]; then
    echo "aot-train: the request through the tunnel got: ${response%%$'\r'*}" >&2
    exit 1
  fi
fi

for pid in "$client" "$server"; do
  kill -TERM "$pid"
  wait "$pid" || true
done
client="" server=""
for cache in grok-server.aot grok.aot; do
  if [[ ! -s $out/$cache ]]; then
    echo "aot-train wrote no $out/$cache:" >&2
    cat ./*.out* >&2
    exit 1
  fi
done
echo "aot-train: AOT caches $out/grok-server.aot ($(du -h "$out/grok-server.aot" | cut -f1))," \
  "grok.aot ($(du -h "$out/grok.aot" | cut -f1))" >&2
