#!/usr/bin/env python3
"""cstaload end to end: short runs against a cstad it starts itself (closed loop, a fixed rate
with ECMA-354 sessions and the trivial baseline, the built-in traffic), each checked for exit
status 0, a summary with RESULT lines, and a CSV of each second with non-zero events and calls;
with gnuplot installed, the plot is a PNG. Asserts no speed. Usage: cstaload_test.py BIN_DIR
[unittest options]."""

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BIN = os.path.abspath(sys.argv.pop(1)) if len(sys.argv) > 1 else "build/bin"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class CstaloadTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cstaload-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def cstaload(self, *args):
        r = subprocess.run([os.path.join(BIN, "cstaload"), "--server=" + os.path.join(BIN, "cstad"), *args],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        return r.stdout

    def rows(self, path):
        with open(path, newline="") as f:
            return list(csv.DictReader(f))

    def results(self, stdout):
        """The RESULT lines, each as a dict of its key=value pairs."""
        return [dict(kv.split("=", 1) for kv in line.split()[1:])
                for line in stdout.splitlines() if line.startswith("RESULT ")]

    def test_closed_loop_writes_a_csv_of_each_second_and_a_plot(self):
        csv_path = os.path.join(self.tmp, "load.csv")
        png = os.path.join(self.tmp, "load.png")
        plot = ["--plot=" + png] if shutil.which("gnuplot") else []
        out = self.cstaload("--connections=3", "--monitors=10", "--seconds=2", "--warmup=0", "--csv=" + csv_path,
                            *plot)
        rows = self.rows(csv_path)
        self.assertGreaterEqual(len(rows), 2, rows)
        self.assertEqual(list(rows[0].keys()), [
            "t_s", "events_per_s", "requests_per_s", "calls_per_s", "makecall_p50_ms", "makecall_p99_ms",
            "event_p50_ms", "event_p99_ms", "server_cpu_cores", "server_rss_mib", "window"])
        self.assertTrue(all(r["window"] == "1" for r in rows), rows)  # no warm-up
        self.assertTrue(any(float(r["events_per_s"]) > 0 for r in rows), rows)
        self.assertTrue(any(float(r["calls_per_s"]) > 0 for r in rows), rows)
        self.assertTrue(any(r["makecall_p50_ms"] and r["event_p99_ms"] for r in rows), rows)
        self.assertTrue(all(float(r["server_rss_mib"]) > 0 for r in rows), rows)
        [result] = self.results(out)
        self.assertEqual(result["server"], "cstad")
        self.assertGreater(float(result["events_per_s"]), 0)
        self.assertNotEqual(result["cpu_us_per_event"], "n/a")
        self.assertEqual(result["errors"], "0")
        if plot:
            with open(png, "rb") as f:
                self.assertEqual(f.read(8), PNG_SIGNATURE)

    def test_sessions_at_a_fixed_rate_side_by_side_with_the_trivial_server(self):
        csv_path = os.path.join(self.tmp, "rate.csv")
        out = self.cstaload("--connections=2", "--monitors=4", "--pairs=2", "--rate=50", "--sessions", "--trivial",
                            "--seconds=2", "--warmup=1", "--csv=" + csv_path)
        cstad, trivial = self.results(out)
        self.assertEqual((cstad["server"], trivial["server"]), ("cstad", "trivial_server"))
        for r in (cstad, trivial):
            self.assertEqual(r["sessions"], "1")
            self.assertEqual(r["errors"], "0")
            # 50 calls/s at most: the rate holds (a loose bound: this asserts pacing, not speed).
            self.assertLessEqual(float(r["calls_per_s"]), 60)
            self.assertGreater(float(r["calls_per_s"]), 0)
        self.assertIn("RATIO server=cstad", out)
        # Both servers send a monitored pair's monitors the same number of events per call.
        self.assertIn("events per call", out)
        trivial_rows = self.rows(os.path.join(self.tmp, "rate.trivial.csv"))
        self.assertTrue(any(float(r["events_per_s"]) > 0 for r in trivial_rows), trivial_rows)
        self.assertTrue(any(r["window"] == "0" for r in self.rows(csv_path)))  # the warm-up second

    def test_traffic_only_watches(self):
        out = self.cstaload("--traffic=360000", "--connections=2", "--monitors=20", "--seconds=1", "--warmup=0")
        [result] = self.results(out)
        self.assertEqual(result["traffic"], "360000")
        self.assertEqual(result["pairs"], "0")
        self.assertEqual(result["makecall_p50_us"], "0")

    def test_usage_errors_exit_1(self):
        for args in (["--monitors=101"], ["--traffic=10", "--trivial"], ["--pairs=31"]):
            r = subprocess.run([os.path.join(BIN, "cstaload"), "--server=" + os.path.join(BIN, "cstad"), *args],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 1, args)


if __name__ == "__main__":
    unittest.main()
