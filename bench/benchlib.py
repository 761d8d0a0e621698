#!/usr/bin/env python3
"""Helpers for bench/run (standard library only, Python >= 3.9).

Subcommands (all talk only to 127.0.0.1):
  ports N                          N free TCP ports on 127.0.0.1, space-separated
  portrange N                      "A-B": N consecutive free ports
  sink PORT                        upload sink: reads each HTTP request body completely, then answers 200
                                   with the number of body bytes received as the response body
  tree "PID..." ...                the PIDs and all their live descendants, one per line
  cpu "PID..." ...                 per argument (a list of PIDs): CPU seconds (user + system, own and reaped
                                   children) of those PIDs' process trees; "" gives 0
  rss PID...                       VmRSS of the PIDs' trees, summed, in MiB
  wrk|hey|iperf RESULTS TARGET PREFIX FILE
                                   parse a tool's output and append "TARGET\tPREFIX_key\tvalue" lines
  median RESULTS TARGET KEY SCALE V...  append the median of V... divided by SCALE
  sweep-add SWEEP TARGET CONNS FILE    parse wrk output of one sweep point, append "TARGET CONNS rps p99 errors"
  sweep-dat SWEEP OUT              the sweep as a gnuplot data file: one line per connection count, one column
                                   per target and figure ("?" where missing)
  warmup RESULTS OUT WINDOW_S FILE...  wrk outputs of consecutive load windows on a fresh tunnel: appends the
                                   first window's req/s, the steady state's (mean of the last two windows) and
                                   their ratio; writes OUT (window end in s, req/s) for the plot
  starttime RESULTS FLAVOR BINDIR RUNS TIMEOUT_S ORIGIN_PORT WORKDIR
                                   launch BINDIR/grok-server RUNS times (after one unmeasured launch) to /health
                                   200, then BINDIR/grok http ORIGIN_PORT RUNS times (after one unmeasured launch)
                                   to its "Forwarding" line; appends the median, min and max milliseconds
  table RESULTS NOTES TITLE META [SWEEP [PLOT...]]
                                   print the Markdown section (title, meta line, tables, notes); PLOT is
                                   "caption=path" of a PNG to link under the sweep table
  write-md BENCHMARKS.md SECTION   replace the section with SECTION's heading, keep everything else
"""
import json
import os
import re
import select
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time

TARGETS = ["direct", "nginx", "ssh", "grok"]
HEADERS = ["direct", "nginx", "ssh -R", "grok"]


# ---------------------------------------------------------------- ports


def cmd_ports(n):
    socks = []
    try:
        for _ in range(int(n)):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        print(" ".join(str(s.getsockname()[1]) for s in socks))
    finally:
        for s in socks:
            s.close()


def cmd_portrange(n):
    n = int(n)
    import random
    for _ in range(200):
        base = random.randrange(20000, 30000 - n)
        socks = []
        try:
            for p in range(base, base + n):
                s = socket.socket()
                socks.append(s)
                s.bind(("127.0.0.1", p))
            print(f"{base}-{base + n - 1}")
            return
        except OSError:
            continue
        finally:
            for s in socks:
                s.close()
    sys.exit("portrange: no free range found")


# ---------------------------------------------------------------- upload sink


class _Reader:
    """Buffered reader for request heads; body bytes go to /dev/null with splice(2) (no copy to user space)."""

    PIPE_BYTES = 1 << 16

    def __init__(self, sock):
        self.sock = sock
        self.buf = b""
        self.use_splice = hasattr(os, "splice")
        if self.use_splice:
            self.pr, self.pw = os.pipe()
            self.null = os.open("/dev/null", os.O_WRONLY)
        else:
            self.scratch = bytearray(1 << 20)

    def close(self):
        if self.use_splice:
            for fd in (self.pr, self.pw, self.null):
                os.close(fd)

    def line(self):
        while b"\r\n" not in self.buf:
            if len(self.buf) > 65536:
                raise ValueError("header line too long")
            data = self.sock.recv(65536)
            if not data:
                raise EOFError
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\r\n")
        return line

    def skip(self, n):
        take = min(n, len(self.buf))
        self.buf = self.buf[take:]
        n -= take
        fd = self.sock.fileno()
        while n > 0:
            if self.use_splice:
                moved = os.splice(fd, self.pw, min(n, self.PIPE_BYTES))
                left = moved
                while left > 0:
                    left -= os.splice(self.pr, self.null, left)
            else:
                moved = self.sock.recv_into(self.scratch, min(n, len(self.scratch)))
            if moved == 0:
                raise EOFError
            n -= moved


def _sink_connection(sock):
    r = _Reader(sock)
    try:
        while True:
            try:
                request_line = r.line()
            except EOFError:
                return
            if not request_line:
                continue
            length, chunked, close, expect = 0, False, request_line.endswith(b"HTTP/1.0"), False
            while True:
                h = r.line()
                if not h:
                    break
                name, _, value = h.partition(b":")
                name, value = name.strip().lower(), value.strip().lower()
                if name == b"content-length":
                    length = int(value)
                elif name == b"transfer-encoding" and b"chunked" in value:
                    chunked = True
                elif name == b"connection":
                    close = value == b"close"
                elif name == b"expect" and value == b"100-continue":
                    expect = True
            if expect:
                sock.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
            total = 0
            if chunked:
                while True:
                    size = int(r.line().split(b";")[0].strip(), 16)
                    if size == 0:
                        while r.line():
                            pass
                        break
                    r.skip(size)
                    total += size
                    r.line()
            else:
                r.skip(length)
                total = length
            body = str(total).encode()
            sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n%s\r\n%s"
                         % (len(body), b"Connection: close\r\n" if close else b"", body))
            if close:
                return
    except (EOFError, OSError, ValueError):
        return
    finally:
        r.close()
        sock.close()


def cmd_sink(port):
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", int(port)))
    srv.listen(512)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=_sink_connection, args=(conn,), daemon=True).start()


# ---------------------------------------------------------------- /proc


def _stat(pid):
    """Fields of /proc/PID/stat after the command name: [state, ppid, ...]; None when gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except OSError:
        return None
    return s[s.rindex(")") + 2:].split()


def _tree(roots):
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            st = _stat(d)
            if st:
                children.setdefault(int(st[1]), []).append(int(d))
    seen, todo = [], [int(p) for p in roots]
    while todo:
        p = todo.pop()
        if p in seen or _stat(p) is None:
            continue
        seen.append(p)
        todo.extend(children.get(p, []))
    return seen


def cmd_tree(*groups):
    for p in _tree(" ".join(groups).split()):
        print(p)


def cmd_cpu(*groups):
    hz = os.sysconf("SC_CLK_TCK")
    out = []
    for group in groups:
        ticks = 0
        for p in _tree(group.split()):
            st = _stat(p)
            if st:  # utime, stime, cutime, cstime are fields 14-17, i.e. indexes 11-14 here
                ticks += sum(int(x) for x in st[11:15])
        out.append(f"{ticks / hz:.2f}")
    print(" ".join(out))


def cmd_rss(*pids):
    kib, procs = 0, _tree(pids)
    if not procs:
        print("n/a (exited)")
        return
    for p in procs:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        kib += int(line.split()[1])
        except OSError:
            pass
    print(f"{kib / 1024:.0f}")


# ---------------------------------------------------------------- parsers


def _append(results, target, items):
    with open(results, "a") as f:
        for k, v in items:
            f.write(f"{target}\t{k}\t{v}\n")


_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0, "h": 3600000.0}


def _wrk_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    return float(m.group(1)) * _UNITS_MS[m.group(2)]


def parse_wrk(text):
    out = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if m:
        out["rps"] = float(m.group(1))
    m = re.search(r"(\d+) requests in", text)
    if m:
        out["requests"] = int(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(rf"^\s+{pct}%\s+(\S+)", text, re.M)
        if m:
            out[key] = _wrk_ms(m.group(1))
    errors = 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errors += sum(int(x) for x in m.groups())
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errors += int(m.group(1))
    out["errors"] = errors
    if out.get("requests") == 0:  # wrk prints 0.00us percentiles when nothing completed
        out.pop("p50_ms", None)
        out.pop("p99_ms", None)
    return out


def parse_hey(text):
    out = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    if m:
        out["rps"] = float(m.group(1))
    for pct, key in (("50", "p50_ms"), ("99", "p99_ms")):
        m = re.search(rf"^\s+{pct}%+ in ([\d.]+) secs", text, re.M)
        if m:
            out[key] = float(m.group(1)) * 1000.0
    ok = bad = 0
    for code, n in re.findall(r"^\s+\[(\d+)\]\s+(\d+) responses", text, re.M):
        if code.startswith("2"):
            ok += int(n)
        else:
            bad += int(n)
    err = text.split("Error distribution:", 1)
    failed = sum(int(n) for n in re.findall(r"^\s+\[(\d+)\]", err[1], re.M)) if len(err) == 2 else 0
    out["requests"] = ok + bad + failed
    out["errors"] = bad + failed
    return out


def parse_iperf(text):
    data = json.loads(text)
    if "error" in data:
        raise ValueError(data["error"])
    received = data["end"]["sum_received"]
    return {"gbps": received["bits_per_second"] / 1e9, "bytes": int(received["bytes"])}


def cmd_parse(tool, results, target, prefix, path):
    with open(path, errors="replace") as f:
        text = f.read()
    parsed = {"wrk": parse_wrk, "hey": parse_hey, "iperf": parse_iperf}[tool](text)
    _append(results, target, [(f"{prefix}_{k}", v) for k, v in parsed.items()])
    if "requests" in parsed:
        print(parsed["requests"])
    elif "bytes" in parsed:
        print(parsed["bytes"])


# ---------------------------------------------------------------- concurrency sweep

SWEEP_FIGURES = ("rps", "p99_ms", "errors")


def cmd_sweep_add(sweep, target, conns, path):
    """One point of the sweep: TARGET at CONNS connections, from wrk's output; a point whose run failed or
    completed nothing is written as "?" (missing), so that the table and the plot show a gap, not a zero."""
    try:
        with open(path, errors="replace") as f:
            parsed = parse_wrk(f.read())
    except OSError:
        parsed = {}
    if not parsed.get("requests"):
        parsed = {"errors": parsed.get("errors", "?")}
    with open(sweep, "a") as f:
        f.write("\t".join([target, str(int(conns))] + [str(parsed.get(k, "?")) for k in SWEEP_FIGURES]) + "\n")


def load_sweep(sweep):
    """{conns: {target: {figure: value}}} from the lines sweep-add wrote (the last one wins)."""
    points = {}
    if sweep and os.path.exists(sweep):
        with open(sweep) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 2 + len(SWEEP_FIGURES):
                    points.setdefault(int(parts[1]), {})[parts[0]] = dict(zip(SWEEP_FIGURES, parts[2:]))
    return dict(sorted(points.items()))


def cmd_sweep_dat(sweep, out):
    points = load_sweep(sweep)
    cols = [f"{t}_{k}" for k in ("rps", "p99_ms") for t in TARGETS]
    with open(out, "w") as f:
        f.write("# 1 KiB GET, wrk keep-alive; one line per connection count; ? = not measured\n")
        f.write("# conns " + " ".join(cols) + "\n")
        for conns, by_target in points.items():
            row = [str(conns)]
            for k in ("rps", "p99_ms"):
                for t in TARGETS:
                    v = _num(by_target.get(t, {}).get(k))
                    row.append("?" if v is None else f"{v:.3f}")
            f.write(" ".join(row) + "\n")


def _sweep_table(sweep, plots):
    points = load_sweep(sweep)
    if not points:
        return []
    present = [t for t in TARGETS if any(t in p for p in points.values())]
    head = [f"{HEADERS[TARGETS.index(t)]} req/s" for t in present]
    head += [f"{HEADERS[TARGETS.index(t)]} p99 (ms)" for t in present]
    ratio = "grok" in present and "nginx" in present
    lines = ["| conns | " + " | ".join(head) + (" | grok/nginx req/s | grok/nginx p99" if ratio else "")
             + " | errors (" + ", ".join(HEADERS[TARGETS.index(t)] for t in present) + ") |",
             "|---:|" + "---:|" * (len(head) + (2 if ratio else 0) + 1)]
    def cell(by_target, t, key, kind):
        v = by_target.get(t, {}).get(key, "—")
        return "failed" if v == "?" else _fmt(v, kind)

    for conns, by_target in points.items():
        cells = [cell(by_target, t, "rps", "int") for t in present]
        cells += [cell(by_target, t, "p99_ms", "ms") for t in present]
        if ratio:
            g, n = by_target.get("grok", {}), by_target.get("nginx", {})
            cells += [_ratio(g.get("rps"), n.get("rps")), _ratio(g.get("p99_ms"), n.get("p99_ms"))]
        errors = ", ".join(_fmt(by_target.get(t, {}).get("errors", "—"), "int") for t in present)
        lines.append(f"| {conns:,} | " + " | ".join(cells) + f" | {errors} |")
    return lines + _images(plots, "sweep")


def _images(plots, section):
    """Markdown images of the plots meant for SECTION ("section:caption=path")."""
    lines = []
    for plot in plots:
        where, _, rest = plot.partition(":")
        caption, _, path = rest.partition("=")
        if where == section:
            lines += ["", f"![{caption}]({path})"]
    return lines


# ---------------------------------------------------------------- warm-up


def cmd_warmup(results, out, window_s, *paths):
    """Consecutive wrk windows on a fresh tunnel: first window vs steady state (the mean of the last two)."""
    rps = []
    for path in paths:
        with open(path, errors="replace") as f:
            parsed = parse_wrk(f.read())
        # A window that completed nothing is a figure (0 req/s: the tunnel was not serving yet); one that
        # printed no figure at all is a failed wrk.
        rps.append(parsed.get("rps"))
    with open(out, "w") as f:
        f.write("# seconds of load at the window's end, req/s in the window (? = window failed)\n")
        for i, v in enumerate(rps):
            f.write(f"{(i + 1) * float(window_s):g} {'?' if v is None else f'{v:.1f}'}\n")
    first = rps[0] if rps else None
    tail = rps[-2:] if len(rps) >= 3 else rps[-1:]
    steady = statistics.mean(tail) if tail and None not in tail else None
    items = [("first_rps", first if first is not None else "failed"),
             ("steady_rps", steady if steady is not None else "failed"),
             ("windows", len(rps))]
    if first is not None and steady:
        items.append(("ratio", first / steady))
    _append(results, "warmup", items)


# ---------------------------------------------------------------- start times


def _free_ports(n):
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def _health_ok(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET /health HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            return re.match(rb"HTTP/1\.[01] 200 ", s.recv(64)) is not None
    except OSError:
        return False


def _stop(proc):
    """SIGTERM to the launch's process group (the launcher execs java, so the group is the JVM), then SIGKILL."""
    for sig, wait_s in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass
        try:
            proc.wait(wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


def _launch(cmd, out, err, env):
    return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err, env=env, start_new_session=True)


def _server_once(bindir, work, data, env, timeout_s, keep=False):
    """Launches grok-server on fresh ports; returns (milliseconds to /health 200, proc, tunnel port)."""
    http, tunnel, admin, tcp = _free_ports(4)
    cmd = [os.path.join(bindir, "grok-server"), "--data-dir", data, "--bind", "127.0.0.1",
           "--http-port", str(http), "--tunnel-port", str(tunnel), "--admin-port", str(admin),
           "--tcp-ports", f"{tcp}-{tcp}", "--max-tunnels-per-user", "1000"]
    with open(os.path.join(work, "server.log"), "ab") as log:
        t0 = time.perf_counter()
        proc = _launch(cmd, log, log, env)
    try:
        while not _health_ok(admin):
            if proc.poll() is not None:
                raise RuntimeError(f"grok-server exited ({proc.returncode}) before /health answered; "
                                   f"see {work}/server.log")
            if time.perf_counter() - t0 > timeout_s:
                raise RuntimeError(f"grok-server: /health not 200 after {timeout_s} s; see {work}/server.log")
            time.sleep(0.005)
        ms = (time.perf_counter() - t0) * 1000
    except BaseException:
        _stop(proc)
        raise
    if not keep:
        _stop(proc)
    return ms, proc, tunnel


def _client_once(bindir, work, env, tunnel, token, origin_port, timeout_s):
    """Launches `grok http ORIGIN` (inspector on, as a user would, on a free port); ms to its Forwarding line."""
    (inspect,) = _free_ports(1)
    cmd = [os.path.join(bindir, "grok"), "http", str(origin_port), "--server", f"127.0.0.1:{tunnel}",
           "--token", token, "--inspect-port", str(inspect)]
    with open(os.path.join(work, "client.log"), "ab") as log:
        t0 = time.perf_counter()
        proc = _launch(cmd, subprocess.PIPE, log, env)
    try:
        fd, buf = proc.stdout.fileno(), b""
        while True:
            left = timeout_s - (time.perf_counter() - t0)
            if left <= 0:
                raise RuntimeError(f"grok http: no Forwarding line after {timeout_s} s; see {work}/client.log")
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                raise RuntimeError(f"grok http exited ({proc.wait()}) before its Forwarding line; "
                                   f"see {work}/client.log")
            buf += chunk
            if re.search(rb"(^|\n)Forwarding ", buf):
                return (time.perf_counter() - t0) * 1000
            buf = buf[-4096:]
    finally:
        _stop(proc)
        proc.stdout.close()


def _admin_token(data, log):
    """The admin token the server wrote: DATA/admin.token, else its "Admin token: ..." line."""
    try:
        with open(os.path.join(data, "admin.token")) as f:
            token = f.read().strip()
    except OSError:
        token = ""
    if not token:
        with open(log, errors="replace") as f:
            found = re.findall(r"Admin token[^:]*:\s*(\S+)", f.read())
        token = found[-1] if found else ""
    if not token:
        raise RuntimeError(f"no admin token in {data}/admin.token nor in {log}")
    return token


def cmd_starttime(results, flavor, bindir, runs, timeout_s, origin_port, work):
    runs, timeout_s = int(runs), float(timeout_s)
    os.makedirs(work, exist_ok=True)
    data = os.path.join(work, "data")
    env = dict(os.environ)
    env["GROK_CONFIG"] = os.path.join(work, "no-config.yml")  # the user's ~/.grok/config.yml stays out of it
    # One unmeasured launch first: it creates the data dir (database, admin token) and warms the disk cache.
    _server_once(bindir, work, data, env, timeout_s)
    server_ms = [_server_once(bindir, work, data, env, timeout_s)[0] for _ in range(runs)]
    token = _admin_token(data, os.path.join(work, "server.log"))
    _, server, tunnel = _server_once(bindir, work, data, env, timeout_s, keep=True)
    try:
        _client_once(bindir, work, env, tunnel, token, origin_port, timeout_s)
        client_ms = [_client_once(bindir, work, env, tunnel, token, origin_port, timeout_s) for _ in range(runs)]
    finally:
        _stop(server)
    items = []
    for side, ms in (("server", server_ms), ("client", client_ms)):
        items += [(f"{side}_{flavor}_ms", statistics.median(ms)), (f"{side}_{flavor}_min", min(ms)),
                  (f"{side}_{flavor}_max", max(ms))]
    _append(results, "start", items + [("runs", runs)])
    print(" ".join(f"{x:.0f}" for x in server_ms), "/", " ".join(f"{x:.0f}" for x in client_ms))


def cmd_median(results, target, key, scale, *values):
    nums = [float(v) / float(scale) for v in values]
    _append(results, target, [(key, statistics.median(nums))])


# ---------------------------------------------------------------- table


def _num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _fmt(v, kind):
    x = _num(v)
    if x is None:
        return str(v) if v is not None else "n/a"
    if kind == "int":
        return f"{x:,.0f}"
    if kind == "ms":
        return f"{x:.3f}" if abs(x) < 1 else f"{x:.2f}" if abs(x) < 100 else f"{x:.0f}"
    if kind == "us":
        return f"{x:.1f}"
    if kind == "gbps":
        return f"{x:.2f}"
    return f"{x:,.0f}"


def _rows(size_mib):
    rows = []
    for c in ("50", "500"):
        label = f"1 KiB GET, {c} conns"
        rows += [(f"c{c}_rps", f"{label}: req/s", "int", True),
                 (f"c{c}_p50_ms", f"{label}: p50 (ms)", "ms", True),
                 (f"c{c}_p99_ms", f"{label}: p99 (ms)", "ms", True),
                 (f"c{c}_errors", f"{label}: errors", "int", False)]
    label = "1 KiB GET at 2,000 req/s"
    rows += [("rate_rps", f"{label}: achieved req/s", "int", True),
             ("rate_p50_ms", f"{label}: p50 (ms)", "ms", True),
             ("rate_p99_ms", f"{label}: p99 (ms)", "ms", True),
             ("rate_p50_added_ms", f"{label}: p50 added over direct (ms)", "ms", False),
             ("rate_p99_added_ms", f"{label}: p99 added over direct (ms)", "ms", False),
             ("rate_errors", f"{label}: errors", "int", False),
             ("cpu_c50_us", "proxy/tunnel CPU per request, 50 conns (µs)", "us", True),
             ("cpu_rate_us", "proxy/tunnel CPU per request, 2,000 req/s (µs)", "us", True),
             ("origin_cpu_c50_us", "origin nginx CPU per request, 50 conns (µs)", "us", True),
             ("down_mibs", f"{size_mib} MiB download (MiB/s)", "int", True),
             ("up_mibs", f"{size_mib} MiB upload (MiB/s)", "int", True),
             ("rss_server_mib", "RSS after the run, server side (MiB)", "int", True),
             ("rss_client_mib", "RSS after the run, client side (MiB)", "int", True)]
    return rows


def _ratio(a, b):
    x, y = _num(a), _num(b)
    if x is None or y is None or y == 0:
        return "—"
    return f"{x / y:.2f}×"


def load_results(path):
    """{target: {key: value}} for the four columns and the other groups (socat, start, warmup)."""
    res = {t: {} for t in TARGETS}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t", 2)
                if len(parts) == 3:
                    res.setdefault(parts[0], {})[parts[1]] = parts[2]
    for key in ("p50", "p99"):
        base = _num(res["direct"].get(f"rate_{key}_ms"))
        for t in TARGETS:
            v = _num(res[t].get(f"rate_{key}_ms"))
            if t == "direct":
                res[t].setdefault(f"rate_{key}_added_ms", "—")
            elif v is not None and base is not None:
                res[t].setdefault(f"rate_{key}_added_ms", v - base)
    return res


def _tcp_table(res):
    """One iperf3 stream: direct, through a socat hop, ssh -R, grok tcp; grok/socat is issue 13's target."""
    cols = [("direct", "direct"), ("socat", "socat hop"), ("ssh", "ssh -R"), ("grok", "grok tcp")]
    if not any("iperf_gbps" in res.get(t, {}) for t, _ in cols):
        return []
    lines = ["### One TCP stream (iperf3)", "",
             "| metric | " + " | ".join(h for _, h in cols) + " | grok/socat | grok/direct |",
             "|---|" + "---:|" * (len(cols) + 2)]
    for key, label, kind in (("iperf_gbps", "Gbit/s", "gbps"),
                             ("tcp_cpu_s_per_gib", "hop/tunnel CPU seconds per GiB moved", "ms")):
        cells = [_fmt(res.get(t, {}).get(key, "—"), kind) for t, _ in cols]
        g = res["grok"].get(key)
        lines.append(f"| {label} | " + " | ".join(cells)
                     + f" | {_ratio(g, res.get('socat', {}).get(key))} | {_ratio(g, res['direct'].get(key))} |")
    return lines + [""]


def _start_table(res):
    st = res.get("start", {})
    if not st:
        return []
    flavors = [("bin", "bin/ launchers"), ("release", "release archive")]

    def cell(side, flavor):
        if f"{side}_{flavor}_skipped" in st:
            return st[f"{side}_{flavor}_skipped"]
        med = st.get(f"{side}_{flavor}_ms")
        if med is None:
            return "—"
        return f"{_fmt(med, 'int')} ({_fmt(st.get(f'{side}_{flavor}_min'), 'int')}–" \
               f"{_fmt(st.get(f'{side}_{flavor}_max'), 'int')})"

    lines = [f"### Start (ms from launch, median of {st.get('runs', '?')} warm launches, min–max)", "",
             "| from launch to | " + " | ".join(h for _, h in flavors) + " | issue 13 target |",
             "|---|" + "---:|" * (len(flavors) + 1)]
    for side, label, target in (("server", "server healthy (`grok-server` to `/health` 200)", "≤ 1,000"),
                                ("client", "client ready (`grok http PORT` to its `Forwarding` line)", "≤ 500")):
        lines.append(f"| {label} | " + " | ".join(cell(side, f) for f, _ in flavors) + f" | {target} |")
    return lines + [""]


def _warmup_table(res, plots):
    w = res.get("warmup", {})
    if not w:
        return []
    win = w.get("window_s", "?")
    return ["### Warm-up (a fresh grok server and client, 1 KiB GET at 50 connections)", "",
            "| first %s s of load: req/s | steady state: req/s | first/steady | issue 13 target |" % win,
            "|---:|---:|---:|---:|",
            f"| {_fmt(w.get('first_rps', '—'), 'int')} | {_fmt(w.get('steady_rps', '—'), 'int')} | "
            f"{_fmt(w.get('ratio', '—'), 'gbps')} | ≥ 0.80 |"] + _images(plots, "warmup") + [""]


def cmd_table(results, notes, title, meta, sweep="", *plots):
    res = load_results(results)
    size = res["direct"].get("size_mib", "100")
    lines = [f"## {title}", "", meta, ""]
    rows = _rows(size)
    if any(key in res[t] for t in TARGETS for key, _, _, _ in rows if "_added_" not in key):
        lines += ["| metric | " + " | ".join(HEADERS) + " | grok/direct | grok/nginx |",
                  "|---|" + "---:|" * (len(HEADERS) + 2)]
        for key, label, kind, ratio in rows:
            cells = [_fmt(res[t].get(key, "—"), kind) for t in TARGETS]
            g = res["grok"].get(key)
            rd = _ratio(g, res["direct"].get(key)) if ratio else "—"
            rn = _ratio(g, res["nginx"].get(key)) if ratio else "—"
            lines.append(f"| {label} | " + " | ".join(cells) + f" | {rd} | {rn} |")
        lines.append("")
    lines += _tcp_table(res)
    sweep_lines = _sweep_table(sweep, plots)
    if sweep_lines:
        lines += ["### Concurrency sweep (1 KiB GET)", ""] + sweep_lines + [""]
    lines += _start_table(res) + _warmup_table(res, plots)
    while lines and not lines[-1]:
        lines.pop()
    if os.path.exists(notes):
        with open(notes) as f:
            extra = [line.rstrip("\n") for line in f if line.strip()]
        if extra:
            lines += [""] + [f"- {n}" for n in extra]
    print("\n".join(lines))


# ---------------------------------------------------------------- BENCHMARKS.md

_SKELETON_HEAD = """# Benchmarks

Measured by `bench/run` (see `bench/README.md` for what each row means and how it is measured): grok next to
a direct connection to the origin, nginx as a one-hop reverse proxy and an OpenSSH `ssh -R` tunnel, all on
loopback on one machine. `bench/run` replaces the "Latest full run" section below (`bench/run --quick --write`
its own "Latest quick run" section); the "History" section is kept as it is.
"""

_SKELETON_HISTORY = """## History

Append-only: one entry per optimization, with the date, the commit and the figures before and after
(copied from the tables of `bench/run` on the same machine).
"""


def cmd_write_md(path, section_path):
    """Replaces the section with the same heading as SECTION (e.g. "## Latest full run"), or inserts it before
    "## History"; every other section, History above all, stays as it is."""
    with open(section_path) as f:
        section = f.read().strip("\n") + "\n"
    heading = section.splitlines()[0].strip()
    text = open(path).read() if os.path.exists(path) else _SKELETON_HEAD
    parts = re.split(r"(?m)^(?=## )", text)
    head, sections = parts[0], parts[1:]
    out, placed = [], False
    for s in sections:
        if s.splitlines()[0].strip() == heading:
            if not placed:
                out.append(section)
                placed = True
        else:
            out.append(s)
    if not placed:
        hist = [i for i, s in enumerate(out) if s.startswith("## History")]
        out.insert(hist[0] if hist else len(out), section)
    if not any(s.startswith("## History") for s in out):
        out.append(_SKELETON_HISTORY)
    body = head.rstrip("\n") + "\n\n" + "".join(s.rstrip("\n") + "\n\n" for s in out)
    with open(path, "w") as f:
        f.write(body.rstrip("\n") + "\n")


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    cmd, args = argv[1], argv[2:]
    if cmd in ("wrk", "hey", "iperf"):
        return cmd_parse(cmd, *args)
    fn = globals().get("cmd_" + cmd.replace("-", "_"))
    if fn is None:
        sys.exit(f"benchlib: unknown command {cmd}\n{__doc__}")
    fn(*args)


if __name__ == "__main__":
    main(sys.argv)
