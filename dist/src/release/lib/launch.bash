# shellcheck shell=bash
# Shared by the release's bin/grok-server and bin/grok (sourced, not run): runs one of the jars in lib/ on the
# Java runtime bundled in runtime/ (made by jlink at release time), so no JDK is needed. JVM flags from lib/jvm.bash,
# a copy of the checkout's bin/lib/jvm.bash; extra ones in GROK_JAVA_OPTS.

# shellcheck source=jvm.bash
source "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/jvm.bash"

# grok_launch JAR_NAME ARGS...: runs lib/JAR_NAME on runtime/bin/java with ARGS.
grok_launch() {
  local name=$1
  shift
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
  local program=grok-server
  [[ $name == grok-server.jar ]] || program=grok
  grok_jvm_flags "$program" "$root/runtime"
  local -a flags=("${GROK_JVM_FLAGS[@]}") extra
  local aot="$root/lib/${name%.jar}.aot"
  if ((major >= 25)) && [[ -f $aot && ${GROK_AOT:-1} != 0 ]]; then
    # The ahead-of-time cache made when the release was built (classes loaded and linked, method profiles): a
    # faster start. A cache this JVM cannot take is ignored (AOTMode=auto), its complaint silenced.
    flags+=("-XX:AOTCache=$aot" -Xlog:aot=off -Xlog:cds=off)
  fi
  read -r -a extra <<<"${GROK_JAVA_OPTS:-}"
  # The checkout's launchers' environment (jvm.bash); a value already in the environment wins.
  export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-$GROK_MALLOC_ARENA_MAX}
  exec "$java" "${flags[@]}" "${extra[@]}" -jar "$jar" "$@"
}
