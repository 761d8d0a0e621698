package dev.grok.bench.load;

import java.util.Locale;

/**
 * One interval of a soak, a line of its CSV. RSS in MiB (-1: the process is gone), CPU in seconds since start
 * (cumulative), latencies in milliseconds over the interval only (0 when nothing of that kind completed).
 */
record SoakRow(double tSeconds, double serverRssMib, double clientRssMib, double serverCpuS, double clientCpuS,
    long completed, double requestsPerSecond, long errors, double getP50Ms, double getP99Ms, double getMaxMs,
    double transferP99Ms, double echoP99Ms, int connections) {

  static final String HEADER = "t_s,server_rss_mib,client_rss_mib,server_cpu_s,client_cpu_s,completed,req_per_s,"
      + "errors,get_p50_ms,get_p99_ms,get_max_ms,transfer_p99_ms,echo_p99_ms,http_connections";

  String csv() {
    return String.format(Locale.ROOT, "%.1f,%.1f,%.1f,%.2f,%.2f,%d,%.1f,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%d", tSeconds,
        serverRssMib, clientRssMib, serverCpuS, clientCpuS, completed, requestsPerSecond, errors, getP50Ms,
        getP99Ms, getMaxMs, transferP99Ms, echoP99Ms, connections);
  }
}
