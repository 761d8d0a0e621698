#!/usr/bin/env bash
# Start times of an unpacked release, measured with hyperfine (Debian package hyperfine):
#   dist/start-time.sh dist/target/release/grok-VERSION [RUNS]
# 1. server healthy: from `bin/grok-server` to GET /health answering 200 (fresh data dir each run);
# 2. client ready: from `bin/grok http PORT` to its `Forwarding ...` line (server already running).
# Ports are picked by the kernel (port 0 probes) on 127.0.0.1. Figures vary with the machine's load.
set -euo pipefail
release=$(readlink -f "$1") runs=${2:-10}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
http=$(free_port) tunnel=$(free_port) admin=$(free_port) tcp=$(free_port)
ports="--bind 127.0.0.1 --http-port $http --tunnel-port $tunnel --admin-port $admin --tcp-ports $tcp-$tcp"
export release ports admin tunnel work

hyperfine --runs "$runs" --export-markdown "$work/server.md" \
  --prepare "rm -rf $work/s && mkdir -p $work/s" \
  "cd $work/s && { $release/bin/grok-server $ports >/dev/null 2>&1 & pid=\$!; \
     until curl -sf -o /dev/null http://127.0.0.1:$admin/health; do sleep 0.02; done; kill -KILL \$pid; }"

mkdir -p "$work/c" && cd "$work/c"
"$release/bin/grok-server" $ports >/dev/null 2>&1 &
server=$!
until curl -sf -o /dev/null "http://127.0.0.1:$admin/health"; do sleep 0.05; done
hyperfine --runs "$runs" --export-markdown "$work/client.md" \
  "cd $work/c && { rm -f out; $release/bin/grok http 3000 --server localhost:$tunnel --no-inspect >out 2>/dev/null & \
     pid=\$!; until grep -q Forwarding out 2>/dev/null; do sleep 0.02; done; kill -KILL \$pid; }"
cat "$work/server.md" "$work/client.md"
