# shellcheck shell=bash
# Shared by bin/grok-server and bin/grok (sourced, not run): finds the checkout from the script's own location,
# picks a JDK >= 21, builds the shaded jars once when they are missing or older than the sources, on a JDK 25+
# makes their ahead-of-time caches once after that, then runs one.

GROK_MIN_JAVA=21
# shellcheck source=jvm.bash
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/jvm.bash"

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

# True when the AOT cache at $1 is missing, or older than the jar at $2 or than the JVM flags (jvm.bash): a cache
# made with other flags may be refused.
grok_aot_stale() {
  [[ ! -f $1 || $2 -nt $1 || "$GROK_ROOT/bin/lib/jvm.bash" -nt $1 ]]
}

# Makes cli/target/grok-server.aot and cli/target/grok.aot (JDK 25+, JEP 483/514/515: classes loaded and linked,
# method profiles) by one training run of both launchers (dist/aot-train.sh), when the jar at $1's cache is stale.
# Once per build: a failed training leaves a .failed marker newer than the jar, and the launcher goes on without a
# cache. One training at a time per checkout (the build's lock). GROK_AOT=0 turns caches off.
grok_aot_train() {
  local jar=$1 target="$GROK_ROOT/cli/target"
  local cache="${jar%.jar}.aot"
  [[ -f "$cache.failed" && ! $jar -nt "$cache.failed" ]] && return 0
  (
    if command -v flock >/dev/null 2>&1; then
      exec 9>"$target/.build.lock"
      flock 9
    fi
    grok_aot_stale "$cache" "$jar" || exit 0 # another launcher made it while this one waited
    echo "grok: making the ahead-of-time caches of the JDK $GROK_JAVA_MAJOR (once after a build; a faster start)..." >&2
    rm -f "$target/grok-server.aot" "$target/grok.aot" "$target"/*.aot.failed
    if ! GROK_AOT=0 JAVA_HOME=$GROK_JDK "$GROK_ROOT/dist/aot-train.sh" "$GROK_ROOT/bin" "$target" \
      2>"$target/aot-train.log"; then
      echo "grok: no AOT cache (see $target/aot-train.log); starting without one" >&2
      touch "$target/grok-server.aot.failed" "$target/grok.aot.failed"
    fi
  ) || true
}

# grok_launch JAR_NAME ARGS...: runs cli/target/JAR_NAME with ARGS, building it first when needed, with the JVM
# flags of bin/lib/jvm.bash and its AOT cache when there is one. Extra JVM flags come from GROK_JAVA_OPTS (split on
# spaces).
grok_launch() {
  local name=$1
  shift
  # This file is ROOT/bin/lib/launch.bash.
  GROK_ROOT=$(dirname "$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")")
  grok_find_jdk
  local jar="$GROK_ROOT/cli/target/$name"
  if grok_jar_stale "$jar"; then
    grok_build "$jar"
  fi
  local program=grok-server
  [[ $name == grok-server.jar ]] || program=grok
  grok_jvm_flags "$program" "$GROK_JDK"
  local -a flags=("${GROK_JVM_FLAGS[@]}") extra
  local cache="${jar%.jar}.aot"
  if ((GROK_JAVA_MAJOR >= 25)) && [[ ${GROK_AOT:-1} != 0 ]]; then
    if grok_aot_stale "$cache" "$jar"; then
      grok_aot_train "$jar"
    fi
    if ! grok_aot_stale "$cache" "$jar"; then
      # A cache this JVM cannot take (other flags or JDK) is ignored (AOTMode=auto), its complaint silenced.
      flags+=("-XX:AOTCache=$cache" -Xlog:aot=off -Xlog:cds=off)
    fi
  fi
  read -r -a extra <<<"${GROK_JAVA_OPTS:-}"
  # A value already in the environment wins.
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-$GROK_MALLOC_ARENA_MAX}
  exec "$GROK_JDK/bin/java" "${flags[@]}" "${extra[@]}" -jar "$jar" "$@"
}
