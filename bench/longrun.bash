# shellcheck shell=bash
# Shared by bench/soak and bench/websockets (sourced, not run): tools, jars, processes, the grok server and client
# started through the bin/ launchers (their JVM flags and environment, the inspector on as by default), and the
# load driver of the bench module (dev.grok.bench.load in bench/target/benchmarks.jar). Expects ROOT and NAME set.

LIB="$ROOT/bench/benchlib.py"
export PATH="$PATH:/usr/sbin:/sbin"
WAIT_S=${BENCH_WAIT_S:-60}

log() { printf '[%s %s] %s\n' "$NAME" "$(date +%T)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# ensure_tools CMD:PACKAGE...: installs the Debian packages of the missing commands (as root or through sudo).
ensure_tools() {
  local missing=() pkgs=() entry cmd pkg sudo=()
  for entry in "$@"; do
    cmd=${entry%%:*} pkg=${entry#*:}
    command -v "$cmd" >/dev/null 2>&1 && continue
    missing+=("$cmd")
    [[ " ${pkgs[*]} " == *" $pkg "* ]] || pkgs+=("$pkg")
  done
  ((${#missing[@]})) || return 0
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "$NAME: missing ${missing[*]}; as root run: apt-get install -y ${pkgs[*]}" >&2; exit 2; }
    sudo=(sudo)
  fi
  log "installing ${pkgs[*]} (missing: ${missing[*]})"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${pkgs[@]}" >&2
  for cmd in "${missing[@]}"; do
    command -v "$cmd" >/dev/null 2>&1 || die "$cmd still missing after apt-get install ${pkgs[*]}"
  done
}

# The JDK of the launchers (bin/lib/launch.bash) runs the load driver too.
find_java() {
  # shellcheck source=../bin/lib/launch.bash
  source "$ROOT/bin/lib/launch.bash"
  GROK_ROOT=$ROOT
  grok_find_jdk
  JAVA=$GROK_JDK/bin/java
  # The flags the launchers give every JVM of Netty's (native epoll, Unsafe), for the driver and the echo service.
  DRIVER_OPTS=(--enable-native-access=ALL-UNNAMED)
  ((GROK_JAVA_MAJOR < 23)) || DRIVER_OPTS+=(--sun-misc-unsafe-memory-access=allow)
}

# Builds the grok jars (cli/target, what bin/ runs) and the bench jar in one reactor build when either is missing
# or older than the sources, so that the launchers do not build while a start-up timeout runs.
build_jars() {
  BENCH_JAR=$ROOT/bench/target/benchmarks.jar
  if grok_jar_stale "$ROOT/cli/target/grok.jar" || grok_jar_stale "$ROOT/cli/target/grok-server.jar" ||
    grok_jar_stale "$BENCH_JAR"; then
    log "building cli and bench jars (./mvnw -q -B -pl cli,bench -am package -DskipTests)"
    (cd "$ROOT" && JAVA_HOME=$GROK_JDK ./mvnw -q -B -pl cli,bench -am package -DskipTests) >&2 ||
      die "build failed; run './mvnw -pl cli,bench -am package -DskipTests' to see why"
  fi
}

PYTHON=python3
lib() { "$PYTHON" "$LIB" "$@"; }

PIDS=() TMP=""
# start OUT ERR CMD...: CMD in its own session (its process group can be stopped); LAST_PID is its PID.
start() {
  local out=$1 err=$2
  shift 2
  setsid "$@" >"$out" 2>"$err" </dev/null &
  PIDS+=("$!")
  LAST_PID=$!
}
stop_all() {
  ((${#PIDS[@]})) || return 0
  local p deadline=$((SECONDS + 15))
  for ((p = ${#PIDS[@]} - 1; p >= 0; p--)); do kill -TERM -- "-${PIDS[p]}" 2>/dev/null || true; done
  alive() { local q; for q in "${PIDS[@]}"; do kill -0 "$q" 2>/dev/null && return 0; done; return 1; }
  while alive && ((SECONDS < deadline)); do sleep 0.1; done
  for p in "${PIDS[@]}"; do kill -KILL -- "-$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do { wait "$p"; } 2>/dev/null || true; done
  PIDS=()
}
cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  stop_all
  if [ -n "$TMP" ] && [ -d "$TMP" ]; then
    if [ "${BENCH_KEEP_TMP:-0}" = 1 ]; then log "kept $TMP"; else rm -rf "$TMP"; fi
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# fail NAME MESSAGE LOG...: shows the end of the logs and exits 1.
fail() {
  local name=$1 msg=$2 f
  shift 2
  for f in "$@"; do [ -s "$f" ] && { log "--- last lines of $f"; tail -n 20 "$f" >&2; }; done
  die "$name: $msg"
}
# wait_line NAME FILE REGEX PID LOG...: bounded wait until FILE has a line matching REGEX; prints it.
wait_line() {
  local name=$1 file=$2 re=$3 pid=$4 deadline=$((SECONDS + WAIT_S)) line
  shift 4
  until line=$(grep -m1 -E "$re" "$file" 2>/dev/null); do
    kill -0 "$pid" 2>/dev/null || fail "$name" "exited before printing /$re/" "$file" "$@"
    ((SECONDS < deadline)) || fail "$name" "no line /$re/ after ${WAIT_S}s" "$file" "$@"
    sleep 0.1
  done
  printf '%s\n' "$line"
}

# start_echo_origin DIR: the WebSocket echo service (EchoOrigin) on a free port; sets ECHO_PORT, ECHO_PID.
start_echo_origin() {
  local d=$1 line
  start "$d/echo.out" "$d/echo.err" "$JAVA" "${DRIVER_OPTS[@]}" -Xms16m -Xmx256m -XX:+UseSerialGC -cp "$BENCH_JAR" \
    dev.grok.bench.load.EchoOrigin --port 0
  ECHO_PID=$LAST_PID
  line=$(wait_line "echo origin" "$d/echo.out" '^listening ' "$ECHO_PID" "$d/echo.err")
  ECHO_PORT=${line##*:}
}

# start_grok DIR LOCAL_PORT SUBDOMAIN MAX_CONNECTIONS: grok-server and `grok http LOCAL_PORT` through bin/, on
# 127.0.0.1 ports of their own, the client's inspector on (the default) on a free port. Sets EDGE_PORT,
# SERVER_PID, CLIENT_PID. The launchers exec the JVM, so these are the JVMs' PIDs.
start_grok() {
  local d=$1 local_port=$2 sub=$3 maxconn=$4 tunnel admin inspect token deadline line
  mkdir -p "$d/data"
  read -r EDGE_PORT tunnel admin inspect <<<"$(lib ports 4)"
  start "$d/server.out" "$d/server.err" "$ROOT/bin/grok-server" --data-dir "$d/data" --bind 127.0.0.1 \
    --http-port "$EDGE_PORT" --tunnel-port "$tunnel" --admin-port "$admin" --tcp-ports "$(lib portrange 2)" \
    --max-connections "$maxconn" --max-connections-per-ip "$maxconn"
  SERVER_PID=$LAST_PID
  deadline=$((SECONDS + WAIT_S))
  until [ "$(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$admin/health")" = 200 ]; do
    kill -0 "$SERVER_PID" 2>/dev/null || fail "grok server" "exited before /health answered" "$d/server.err" "$d/server.out"
    ((SECONDS < deadline)) || fail "grok server" "/health not 200 after ${WAIT_S}s" "$d/server.err"
    sleep 0.2
  done
  if [ -s "$d/data/admin.token" ]; then
    token=$(tr -d ' \r\n' <"$d/data/admin.token")
  else
    line=$(wait_line "grok server" "$d/server.out" 'Admin token' "$SERVER_PID" "$d/server.err")
    token=${line##*: }
  fi
  start "$d/client.out" "$d/client.err" "$ROOT/bin/grok" http "$local_port" --subdomain "$sub" \
    --server "127.0.0.1:$tunnel" --token "$token" --inspect-port "$inspect"
  CLIENT_PID=$LAST_PID
  line=$(wait_line "grok client" "$d/client.out" '^Forwarding ' "$CLIENT_PID" "$d/client.err" "$d/server.err")
  log "grok: $line (server pid $SERVER_PID, client pid $CLIENT_PID, inspector on 127.0.0.1:$inspect)"
}

# check_alive NAME PID LOG...: fails the run when the process is gone.
check_alive() {
  local name=$1 pid=$2
  shift 2
  kill -0 "$pid" 2>/dev/null || fail "$name" "exited during the run" "$@"
}

# The header line of a result: date, commit, machine, load.
meta_line() {
  local commit cpu
  commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
  [ -z "$(git -C "$ROOT" status --porcelain -uno 2>/dev/null)" ] || commit="$commit+changes"
  cpu=$(sed -n '/^model name/{s/^model name[[:space:]]*: //p;q}' /proc/cpuinfo)
  printf '%s · commit %s · %s cores, %s · load average %s at the start · Java %s\n' "$(date -u '+%F %H:%M UTC')" \
    "$commit" "$(nproc)" "${cpu:-unknown CPU}" "$(cut -d' ' -f1 /proc/loadavg)" "$GROK_JAVA_MAJOR"
}

# seconds_of DURATION: 90, 90s, 15m, 1h, 1h30m -> seconds (exit 2 on anything else).
seconds_of() {
  local d=$1 total=0 n u
  [[ $d =~ ^[0-9]+$ ]] && { echo "$d"; return; }
  [[ $d =~ ^([0-9]+[hms])+$ ]] || { echo "$NAME: bad duration '$d' (expected e.g. 3600, 90s, 15m, 1h, 1h30m)" >&2; exit 2; }
  while [[ $d =~ ^([0-9]+)([hms])(.*)$ ]]; do
    n=${BASH_REMATCH[1]} u=${BASH_REMATCH[2]} d=${BASH_REMATCH[3]}
    case $u in h) total=$((total + n * 3600)) ;; m) total=$((total + n * 60)) ;; s) total=$((total + n)) ;; esac
  done
  echo "$total"
}
