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
# on the JDK at JAVA_HOME (21 or newer). They differ only in the heap and the collector.
grok_jvm_flags() {
  local program=$1 version major update
  version=$(grok_java_version "$2") || version=21.0.0
  version=${version#1.}
  major=${version%%[!0-9]*}
  update=${version#"$major"}
  update=${update#.*.}       # 21.0.5 -> 5 (21 -> "", 25-ea -> "-ea")
  update=${update%%[!0-9]*}
  # The server: a small serial collector (no GC threads, no G1 remembered sets or card tables), 16 MiB heap at first,
  # growing to 256 MiB when the load needs it (ThousandTunnelsTest runs the server with these).
  GROK_JVM_FLAGS=(-Xms16m -Xmx256m -XX:+UseSerialGC)
  if [[ $program == grok ]]; then
    # The client on G1, not serial: the serial collector grows the old generation up to the maximum before its
    # first full collection, so under a steady load with the inspector on a client sat at its heap cap plus ~90
    # MiB (170-238 MiB RSS in a 4 min bench/soak, 21 MiB live); G1's concurrent cycles keep it near its live data
    # (120-144 MiB), and its periodic collection (every 5 s when no other ran) with MaxHeapFreeRatio=30 gives
    # a burst's heap back once idle (160 MiB right after 3 x 100 MiB down + up, 112 20 s later; serial 123 -> 110).
    # GCTimeRatio=4 (GC may take 20% of the time before G1 grows the heap, not 8%) keeps a burst's growth smaller.
    # Idle and after 20,000 GETs the same as serial (92 / 106-113 MiB). Client CPU per request in the soaks:
    # the same within the spread (BENCHMARKS.md "Footprint", round three). The 128 MiB cap holds 10,000 WebSockets
    # (64 MiB did not: OutOfMemoryError while holding them).
    GROK_JVM_FLAGS=(-Xms8m -Xmx128m -XX:+UseG1GC -XX:G1PeriodicGCInterval=5000 -XX:GCTimeRatio=4
      -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30)
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
