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
  table RESULTS NOTES TITLE META   print the Markdown section (title, meta line, table, notes)
  write-md BENCHMARKS.md SECTION   replace the section with SECTION's heading, keep everything else
"""
import json
import os
import re
import socket
import statistics
import sys
import threading

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
    return {"gbps": data["end"]["sum_received"]["bits_per_second"] / 1e9}


def cmd_parse(tool, results, target, prefix, path):
    with open(path, errors="replace") as f:
        text = f.read()
    parsed = {"wrk": parse_wrk, "hey": parse_hey, "iperf": parse_iperf}[tool](text)
    _append(results, target, [(f"{prefix}_{k}", v) for k, v in parsed.items()])
    if "requests" in parsed:
        print(parsed["requests"])


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
             ("iperf_gbps", "TCP stream, iperf3 (Gbit/s)", "gbps", True),
             ("rss_server_mib", "RSS after the run, server side (MiB)", "int", True),
             ("rss_client_mib", "RSS after the run, client side (MiB)", "int", True)]
    return rows


def _ratio(a, b):
    x, y = _num(a), _num(b)
    if x is None or y is None or y == 0:
        return "—"
    return f"{x / y:.2f}×"


def load_results(path):
    res = {t: {} for t in TARGETS}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.rstrip("\n").split("\t", 2)
                if len(parts) == 3 and parts[0] in res:
                    res[parts[0]][parts[1]] = parts[2]
    for key in ("p50", "p99"):
        base = _num(res["direct"].get(f"rate_{key}_ms"))
        for t in TARGETS:
            v = _num(res[t].get(f"rate_{key}_ms"))
            if t == "direct":
                res[t].setdefault(f"rate_{key}_added_ms", "—")
            elif v is not None and base is not None:
                res[t].setdefault(f"rate_{key}_added_ms", v - base)
    return res


def cmd_table(results, notes, title, meta):
    res = load_results(results)
    size = res["direct"].get("size_mib", "100")
    lines = [f"## {title}", "", meta, "",
             "| metric | " + " | ".join(HEADERS) + " | grok/direct | grok/nginx |",
             "|---|" + "---:|" * (len(HEADERS) + 2)]
    for key, label, kind, ratio in _rows(size):
        cells = [_fmt(res[t].get(key, "—"), kind) for t in TARGETS]
        g = res["grok"].get(key)
        rd = _ratio(g, res["direct"].get(key)) if ratio else "—"
        rn = _ratio(g, res["nginx"].get(key)) if ratio else "—"
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {rd} | {rn} |")
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
