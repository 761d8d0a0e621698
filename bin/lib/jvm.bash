# shellcheck shell=bash
# The JVM flags and environment of grok's two programs, in one place (sourced, not run): by bin/lib/launch.bash,
# by the release's lib/launch.bash (dist/release.sh copies this file into the release's lib/), by bench/run and by
# bench/footprint. Each flag is there for a figure in BENCHMARKS.md "Footprint"; change them here only.

# glibc gives each thread that mallocs its own 64 MiB arena (up to 8 per core); the JVM's native allocations are
# few and Netty's buffers are its own, so two arenas are enough (-15 MiB RSS idle for the server).
GROK_MALLOC_ARENA_MAX=2

# Prints the full Java version of the JDK (or runtime) at $1, e.g. 25.0.1, from its release file, else by asking it.
grok_java_version() {
  local home=$1 version=""
  if [[ -f "$home/release" ]]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [[ -z $version && -x "$home/bin/java" ]]; then
    version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.version = //p')
  fi
  [[ -n $version ]] || return 1
  printf '%s\n' "$version"
}

# grok_jvm_flags PROGRAM JAVA_HOME: sets the array GROK_JVM_FLAGS to the JVM flags of PROGRAM (grok or grok-server)
# on the JDK at JAVA_HOME (21 or newer). They differ only in the maximum heap.
grok_jvm_flags() {
  local program=$1 version major update
  version=$(grok_java_version "$2") || version=21.0.0
  version=${version#1.}
  major=${version%%[!0-9]*}
  update=${version#"$major"}
  update=${update#.*.}       # 21.0.5 -> 5 (21 -> "", 25-ea -> "-ea")
  update=${update%%[!0-9]*}
  # A small, serial collector: no GC threads, no G1 remembered sets or card tables; 16 MiB heap to start,
  # growing to 256 MiB when the load needs it (ThousandTunnelsTest runs the server with these).
  GROK_JVM_FLAGS=(-Xms16m -Xmx256m -XX:+UseSerialGC)
  if [[ $program == grok ]]; then
    # The serial collector grows the old generation up to the maximum before its first full collection: under a
    # steady load with the inspector on, a client's heap reached 163 MiB committed with 21 MiB live (bench/soak,
    # BENCHMARKS.md "Long runs"). Its live data is bounded (the inspector keeps at most 16 MiB of bodies plus 8 MiB
    # in hand-overs), so half the server's maximum bounds that growth with room to spare.
    GROK_JVM_FLAGS=(-Xms16m -Xmx128m -XX:+UseSerialGC)
  fi
  # Not here: -XX:TieredStopAtLevel=1 (C1 only) for the client: -6 MiB RSS idle and -20 to -30 MiB after load,
  # but twice the client's CPU per request (85-91 us against 44-46); GROK_JAVA_OPTS can add it where memory
  # matters more than throughput.
  GROK_JVM_FLAGS+=(--enable-native-access=ALL-UNNAMED -XX:+ExitOnOutOfMemoryError)
  # Netty's JFR events (buffer and chunk allocation) would load jdk.jfr's ~110 classes at start.
  GROK_JVM_FLAGS+=(-Dio.netty.jfr.enabled=false)
  # Hand freed C heap (the JIT's arenas, chiefly) back to the kernel every second: glibc keeps it otherwise.
  # -15 to -25 MiB RSS idle and after load. A product flag since 21.0.3/22.0.1, experimental in 21.0.1-21.0.2
  # and 22.0.0, absent from 21.0.0.
  if ((major >= 23)); then
    GROK_JVM_FLAGS+=(-XX:TrimNativeHeapInterval=1000)
  elif ((major == 22)) || { ((major == 21)) && ((${update:-0} >= 1)); }; then
    GROK_JVM_FLAGS+=(-XX:+UnlockExperimentalVMOptions -XX:TrimNativeHeapInterval=1000)
  fi
  if ((major >= 23)); then
    # protobuf and Netty still use sun.misc.Unsafe's memory access, which JDK 24+ warns about on stderr.
    GROK_JVM_FLAGS+=(--sun-misc-unsafe-memory-access=allow)
  fi
  if ((major >= 25)); then
    GROK_JVM_FLAGS+=(-XX:+UseCompactObjectHeaders)
  fi
}
