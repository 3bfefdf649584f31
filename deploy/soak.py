#!/usr/bin/env python3
"""Soak run (not part of CI): cstad under generated traffic for a long time, with a client that
reads slowly, a client that never reads and a busy one; the server's RSS and CPU are recorded
every interval, so a leak or an unbounded queue shows as a curve that keeps rising.

  deploy/soak.py [--minutes=60] [--interval=60] [--out=soak.csv] [--bin=build/bin]

Writes a CSV (minute, rss_mib, cpu_s, KiB the slow reader got, calls made, clients cut off) and, when
gnuplot is installed, a PNG beside it. Exits non-zero if the server dies.
"""

import argparse
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

ED3 = "http://www.ecma-international.org/standards/ecma-323/csta/ed3"


def frame(invoke, xml):
    body = f"{invoke:04d}".encode() + xml.encode()
    return struct.pack(">HH", 0, len(body) + 4) + body


def doc(name, inner):
    return f'<?xml version="1.0" encoding="UTF-8"?><{name} xmlns="{ED3}">{inner}</{name}>'


def monitor(device):
    return doc("MonitorStart", f"<monitorObject><deviceObject>{device}</deviceObject></monitorObject>")


def connect(port):
    for _ in range(100):
        try:
            return socket.create_connection(("127.0.0.1", port), timeout=10)
        except OSError:
            time.sleep(0.1)
    raise SystemExit("cstad does not accept connections")


def rss_and_cpu(pid):
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return rss, cpu


class Counters:
    def __init__(self):
        self.slow_bytes = 0
        self.calls = 0
        self.cut_offs = 0
        self.stop = False


def slow_reader(port, counters, rate):
    """Monitors every extension and reads at most `rate` bytes a second; cut off by the server
    (its output bound), it comes back."""
    while not counters.stop:
        s = connect(port)
        for i, d in enumerate(range(1000, 1100)):
            s.sendall(frame(1 + i, monitor(d)))
        while not counters.stop:
            try:
                data = s.recv(rate)
            except OSError:
                break
            if not data:
                counters.cut_offs += 1
                break
            counters.slow_bytes += len(data)
            time.sleep(1)
        s.close()


def sleeper(port, counters):
    """Monitors 1040-1049 (busy: the caller calls from them) and never reads: the server must cut it off, not grow; then it comes
    back and does it again."""
    while not counters.stop:
        s = connect(port)
        for i, d in enumerate(range(1040, 1050)):
            s.sendall(frame(1 + i, monitor(d)))
        s.settimeout(1)
        while not counters.stop:
            try:
                # Peek without taking anything: b"" only once the server has closed.
                if s.recv(1, socket.MSG_PEEK) == b"":
                    counters.cut_offs += 1
                    break
            except socket.timeout:
                continue
            except OSError:
                break
            time.sleep(1)
        s.close()


def caller(port, counters, per_second):
    """Makes calls between 1040-1079 and clears them, reading its answers and events."""
    s = connect(port)
    s.settimeout(0.05)
    pairs = [(1040 + i, 1060 + i) for i in range(20)]
    try:
        drive(s, counters, pairs, per_second)
    except OSError:
        if not counters.stop:  # the server going away at the end is not news
            raise


def drive(s, counters, pairs, per_second):
    invoke = 0
    next_at = time.monotonic()
    while not counters.stop:
        for a, b in pairs:
            invoke = invoke % 9000 + 1
            s.sendall(frame(invoke, doc("MakeCall", f"<callingDevice>{a}</callingDevice>"
                                                    f"<calledDirectoryNumber>{b}</calledDirectoryNumber>")))
            counters.calls += 1
        time.sleep(0.5)
        for a, _ in pairs:
            invoke = invoke % 9000 + 1
            s.sendall(frame(invoke, doc("ClearConnection", f"<connectionToBeCleared><deviceID>{a}</deviceID>"
                                                           "</connectionToBeCleared>")))
        try:
            while s.recv(1 << 16):
                pass
        except (socket.timeout, BlockingIOError):
            pass
        next_at += len(pairs) / per_second
        time.sleep(max(0, next_at - time.monotonic()))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--minutes", type=float, default=60)
    p.add_argument("--interval", type=float, default=60, help="seconds between samples")
    p.add_argument("--out", default="soak.csv")
    p.add_argument("--bin", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "bin"))
    p.add_argument("--port", type=int, default=18882)
    p.add_argument("--calls-per-second", type=float, default=40)
    p.add_argument("--traffic", type=int, default=36000, help="outside calls an hour to ACD group 6000")
    args = p.parse_args()

    data = tempfile.mkdtemp(prefix="cstad-soak-")
    server = subprocess.Popen([os.path.join(args.bin, "cstad"), f"--port={args.port}", f"--data-dir={data}",
                               f"--traffic={args.traffic}", "--log-level=warn"],
                              stdout=subprocess.DEVNULL, stderr=open(os.path.join(data, "cstad.log"), "w"))
    counters = Counters()
    threads = [threading.Thread(target=slow_reader, args=(args.port, counters, 20000), daemon=True),
               threading.Thread(target=sleeper, args=(args.port, counters), daemon=True),
               threading.Thread(target=caller, args=(args.port, counters, args.calls_per_second), daemon=True)]
    for t in threads:
        t.start()
    rows = []
    started = time.monotonic()
    try:
        with open(args.out, "w") as out:
            out.write("minute,rss_mib,cpu_s,slow_reader_kib,calls,cut_offs\n")
            while time.monotonic() - started < args.minutes * 60:
                if server.poll() is not None:
                    raise SystemExit(f"cstad ended with {server.returncode}; log in {data}/cstad.log")
                rss, cpu = rss_and_cpu(server.pid)
                row = ((time.monotonic() - started) / 60, rss, cpu, counters.slow_bytes / 1024, counters.calls,
                       counters.cut_offs)
                rows.append(row)
                out.write("%.1f,%.1f,%.1f,%.0f,%d,%d\n" % row)
                out.flush()
                print("%6.1f min  RSS %7.1f MiB  CPU %8.1f s  slow reader %8.0f KiB  calls %d  cut off %d" % row,
                      flush=True)
                time.sleep(args.interval)
    finally:
        counters.stop = True
        server.terminate()
        server.wait(timeout=30)
    if shutil.which("gnuplot") and len(rows) > 1:
        png = os.path.splitext(args.out)[0] + ".png"
        subprocess.run(["gnuplot", "-e",
                        f"set terminal png size 900,500; set output '{png}'; set datafile separator ',';"
                        "set key top left; set xlabel 'minutes'; set ylabel 'RSS (MiB)'; set y2label 'calls';"
                        "set y2tics; set ytics nomirror;"
                        f"plot '{args.out}' using 1:2 with lines title 'cstad RSS', "
                        f"'' using 1:5 axes x1y2 with lines title 'calls made'"], check=False)
        print("plot:", png)
    elif not shutil.which("gnuplot"):
        print("gnuplot is not installed (apt-get install gnuplot-nox): no plot, the CSV is", args.out)
    shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
