# shellcheck shell=bash
# Shared by the release's bin/grok-server and bin/grok (sourced, not run): runs one of the jars in lib/ on the
# Java runtime bundled in runtime/ (made by jlink at release time), so no JDK is needed. JVM flags as the
# checkout's launchers set them; extra ones in GROK_JAVA_OPTS.

# grok_launch JAR_NAME "JVM FLAGS" ARGS...: runs lib/JAR_NAME on runtime/bin/java with ARGS.
grok_launch() {
  local name=$1 heap=$2
  shift 2
  # This file is ROOT/lib/launch.bash.
  local root
  root=$(dirname "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")")
  local java="$root/runtime/bin/java" jar="$root/lib/$name"
  if [[ ! -x $java || ! -f $jar ]]; then
    echo "grok: $java or $jar is missing; unpack the whole release archive again" >&2
    exit 1
  fi
  local major
  major=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$root/runtime/release")
  local -a flags extra
  read -r -a flags <<<"$heap"
  flags+=(--enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError)
  if ((major >= 23)); then
    # protobuf and Netty still use sun.misc.Unsafe's memory access, which JDK 24+ warns about on stderr.
    flags+=(--sun-misc-unsafe-memory-access=allow)
  fi
  if ((major >= 25)); then
    flags+=(-XX:+UseCompactObjectHeaders)
  fi
  local aot="$root/lib/${name%.jar}.aot"
  if ((major >= 25)) && [[ -f $aot ]]; then
    # The ahead-of-time cache made when the release was built (classes loaded and linked, method profiles): a
    # faster start. A cache this JVM cannot take is ignored (AOTMode=auto), its complaint silenced.
    flags+=("-XX:AOTCache=$aot" -Xlog:aot=off -Xlog:cds=off)
  fi
  read -r -a extra <<<"${GROK_JAVA_OPTS:-}"
  # Two glibc malloc arenas, as the checkout's launchers (bin/lib/launch.bash): less RSS, measured in BENCHMARKS.md
  # "Footprint". A value already in the environment wins.
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
  exec "$java" "${flags[@]}" "${extra[@]}" -jar "$jar" "$@"
}
