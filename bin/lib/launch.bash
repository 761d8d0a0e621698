# shellcheck shell=bash
# Shared by bin/grok-server and bin/grok (sourced, not run): finds the checkout from the script's own location,
# picks a JDK >= 21, builds the shaded jars once when they are missing or older than the sources, then runs one.

GROK_MIN_JAVA=21

# Prints the major Java version of the JDK at $1 (from its release file, else by asking it); fails if none.
grok_java_major() {
  local home=$1 version=""
  [[ -x "$home/bin/java" ]] || return 1
  if [[ -f "$home/release" ]]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [[ -z $version ]]; then
    version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = //p')
  fi
  version=${version#1.}            # 1.8.0_392 -> 8.0_392
  version=${version%%[!0-9]*}      # 25.0.1 -> 25
  [[ -n $version ]] || return 1
  printf '%s\n' "$version"
}

# Sets GROK_JDK and GROK_JAVA_MAJOR: JAVA_HOME if >= 21, else the newest JDK under /usr/lib/jvm, else java on PATH.
grok_find_jdk() {
  local major candidate best="" best_major=0 java
  if [[ -n ${JAVA_HOME:-} ]]; then
    if major=$(grok_java_major "$JAVA_HOME") && ((major >= GROK_MIN_JAVA)); then
      GROK_JDK=$JAVA_HOME GROK_JAVA_MAJOR=$major
      return 0
    fi
    echo "grok: JAVA_HOME=$JAVA_HOME is not a JDK $GROK_MIN_JAVA or newer; looking for another" >&2
  fi
  for candidate in /usr/lib/jvm/*; do
    [[ -d $candidate && ! -L $candidate ]] || continue
    if major=$(grok_java_major "$candidate") && ((major >= GROK_MIN_JAVA && major > best_major)); then
      best=$candidate best_major=$major
    fi
  done
  if [[ -n $best ]]; then
    GROK_JDK=$best GROK_JAVA_MAJOR=$best_major
    return 0
  fi
  if java=$(command -v java 2>/dev/null); then
    candidate=$(dirname "$(dirname "$(readlink -f "$java")")")
    if major=$(grok_java_major "$candidate") && ((major >= GROK_MIN_JAVA)); then
      GROK_JDK=$candidate GROK_JAVA_MAJOR=$major
      return 0
    fi
  fi
  echo "grok: no JDK $GROK_MIN_JAVA or newer found (looked at JAVA_HOME, /usr/lib/jvm/*, java on PATH)." >&2
  echo "grok: install one (e.g. 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME to it." >&2
  exit 1
}

# True when the jar at $1 is missing or older than a pom.xml or any file under a module's src.
grok_jar_stale() {
  [[ -f $1 ]] || return 0
  [[ -n $(find "$GROK_ROOT/pom.xml" "$GROK_ROOT"/*/pom.xml "$GROK_ROOT"/*/src -newer "$1" -type f -print -quit \
    2>/dev/null) ]]
}

# Builds both jars through the Maven Wrapper, output on stderr; one build at a time per checkout.
grok_build() {
  local jar=$1
  mkdir -p "$GROK_ROOT/cli/target"
  if ! (
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$GROK_ROOT/cli/target/.build.lock"
      flock 9
    fi
    # Another launcher may have built while this one waited for the lock.
    if grok_jar_stale "$jar"; then
      echo "grok: building $(basename "$jar") and its sibling (first run or sources changed)..." >&2
      cd "$GROK_ROOT" && JAVA_HOME=$GROK_JDK ./mvnw -q -B -DskipTests package -pl cli -am 1>&2
    fi
  ); then
    echo "grok: build failed; run './mvnw -DskipTests package -pl cli -am' in $GROK_ROOT to see why" >&2
    exit 1
  fi
}

# grok_launch JAR_NAME "JVM FLAGS" ARGS...: runs cli/target/JAR_NAME with ARGS, building it first when needed.
# Extra JVM flags come from GROK_JAVA_OPTS (split on spaces).
grok_launch() {
  local name=$1 heap=$2
  shift 2
  # This file is ROOT/bin/lib/launch.bash.
  GROK_ROOT=$(dirname "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")")
  grok_find_jdk
  local jar="$GROK_ROOT/cli/target/$name"
  if grok_jar_stale "$jar"; then
    grok_build "$jar"
  fi
  local -a flags extra
  read -r -a flags <<<"$heap"
  flags+=(--enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError)
  if ((GROK_JAVA_MAJOR >= 23)); then
    # protobuf and Netty still use sun.misc.Unsafe's memory access, which JDK 24+ warns about on stderr.
    flags+=(--sun-misc-unsafe-memory-access=allow)
  fi
  if ((GROK_JAVA_MAJOR >= 25)); then
    flags+=(-XX:+UseCompactObjectHeaders)
  fi
  read -r -a extra <<<"${GROK_JAVA_OPTS:-}"
  # glibc gives each thread that mallocs its own 64 MiB arena (up to 8 per core); the JVM's native allocations
  # are few and Netty's buffers are its own, so two arenas are enough: measured -15 MiB RSS for an idle server
  # (bench/footprint, BENCHMARKS.md "Footprint"). A value already in the environment wins.
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
  exec "$GROK_JDK/bin/java" "${flags[@]}" "${extra[@]}" -jar "$jar" "$@"
}
