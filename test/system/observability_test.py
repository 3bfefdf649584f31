#!/usr/bin/env python3
"""cstad --metrics: the Prometheus text (checked by a strict parser written here) and its
counters moving with traffic; the live status page in headless Chromium showing the demo's ACD
group and a session this test opened, its numbers changing as calls flow.
Usage: observability_test.py BIN_DIR [unittest options]."""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import admin_test  # noqa: E402
from admin_test import ED3, Client, Server, monitor_start, root_of, wait_for  # noqa: E402

METRIC_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*$")
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"(,|$)')
TYPES = {"counter", "gauge", "histogram", "summary", "untyped"}


def parse_prometheus(text):
    """The samples of a Prometheus text exposition (format 0.0.4), {(name, labels): value}.
    Strict: every line is a HELP, a TYPE or a sample; a family is typed once, before its
    samples, and its samples are together; counters end in _total; no series twice; the text
    ends with a newline."""
    if not text.endswith("\n"):
        raise ValueError("the exposition does not end with a newline")
    typed, done, samples = {}, set(), {}
    current = None
    for number, line in enumerate(text.split("\n")[:-1], 1):
        where = f"line {number}: {line!r}"
        if line.startswith("# HELP "):
            name, _, help_text = line[7:].partition(" ")
            if not METRIC_NAME.match(name) or not help_text:
                raise ValueError("bad HELP, " + where)
            continue
        if line.startswith("# TYPE "):
            parts = line[7:].split(" ")
            if len(parts) != 2 or not METRIC_NAME.match(parts[0]) or parts[1] not in TYPES:
                raise ValueError("bad TYPE, " + where)
            if parts[0] in typed:
                raise ValueError("family typed twice, " + where)
            if parts[1] == "counter" and not parts[0].endswith("_total"):
                raise ValueError("a counter not ending in _total, " + where)
            typed[parts[0]] = parts[1]
            if current:
                done.add(current)
            current = parts[0]
            continue
        if line.startswith("#") or not line:
            raise ValueError("neither a comment of the format nor a sample, " + where)
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([^}]*)\})? (\S+)( -?\d+)?$", line)
        if not m:
            raise ValueError("bad sample, " + where)
        name, labels_text, value = m.group(1), m.group(3), m.group(4)
        if name not in typed or name in done or name != current:
            raise ValueError("a sample outside its family, " + where)
        labels = []
        rest = labels_text or ""
        while rest:
            lm = LABEL.match(rest)
            if not lm:
                raise ValueError("bad labels, " + where)
            labels.append((lm.group(1), lm.group(2)))
            rest = rest[lm.end():]
        if len({k for k, _ in labels}) != len(labels):
            raise ValueError("a label twice, " + where)
        float(value)  # raises on anything but a number, NaN or +Inf
        key = (name, tuple(sorted(labels)))
        if key in samples:
            raise ValueError("a series twice, " + where)
        samples[key] = float(value)
    return samples


def make_call(a, b):
    return (f'<MakeCall xmlns="{ED3}"><callingDevice>{a}</callingDevice>'
            f"<calledDirectoryNumber>{b}</calledDirectoryNumber></MakeCall>")


def clear(device, call):
    return (f'<ClearConnection xmlns="{ED3}"><connectionToBeCleared><callID>{call}</callID>'
            f"<deviceID>{device}</deviceID></connectionToBeCleared></ClearConnection>")


def errors_moved(before, after):
    """How each cstad_request_errors_total series moved: {(service, category, value): n} for
    those that did."""
    out = {}
    for key, value in after.items():
        if key[0] != "cstad_request_errors_total":
            continue
        labels = dict(key[1])
        n = value - before.get(key, 0)
        if n:
            out[(labels["service"], labels["category"], labels["value"])] = n
    return out


class ObservabilityTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cstad-metrics-")
        self.server = Server(os.path.join(self.tmp, "data"), extra=["--metrics=127.0.0.1:0"])
        wait_for(lambda: "metrics and status page on http://" in self.server.log_text(), what="the HTTP side")
        self.url = re.search(r"metrics and status page on (http://[0-9.]+:\d+/)", self.server.log_text()).group(1)

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode()

    def metrics(self):
        status, content_type, text = self.get("metrics")
        self.assertEqual(status, 200)
        self.assertEqual(content_type, "text/plain; version=0.0.4; charset=utf-8")
        return parse_prometheus(text)

    def test_the_parser_refuses_what_prometheus_would(self):
        for bad in ["x 1\n", "# TYPE x_total counter\nx_total 1",
                    "# TYPE x counter\nx 1\n", "# TYPE x gauge\nx{a=\"1\",a=\"2\"} 1\n",
                    "# TYPE x gauge\nx one\n", "# TYPE x gauge\nx 1\nx 2\n",
                    "# TYPE x gauge\n# TYPE y gauge\nx 1\n", "# TYPE x gauge\nx{a=1} 1\n"]:
            with self.assertRaises(ValueError, msg=bad):
                parse_prometheus(bad)
        self.assertEqual(parse_prometheus('# HELP x h\n# TYPE x gauge\nx{a="q\\"uote"} 2\n'),
                         {("x", (("a", 'q\\"uote'),)): 2.0})

    def test_metrics_parse_and_their_counters_move_with_traffic(self):
        port = str(self.server.port)
        before = self.metrics()
        self.assertEqual(before[("cstad_sessions", (("server", port),))], 0)
        self.assertEqual(before[("cstad_monitors", ())], 0)
        self.assertIn(("cstad_acd_agents", (("group", "6000"), ("state", "ready"))), before)
        self.assertEqual(before[("cstad_acd_calls_waiting", (("group", "6000"),))], 0)
        self.assertEqual(before[("cstad_lim_up", (("lim", "1"),))], 1)
        c = Client(self.server.port)
        self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")
        answer = c.request(make_call("1000", "1001"))
        call = re.search(r"<callID>(\d+)</callID>", answer).group(1)
        c.request(clear("1000", call))
        c.request(f'<MonitorStart xmlns="{ED3}"><monitorObject><deviceObject>4711</deviceObject></monitorObject>'
                  "</MonitorStart>")  # invalidDeviceID
        wait_for(lambda: self.metrics()[("cstad_events_delivered_total", ())] >= 3, what="events counted")
        after = self.metrics()
        self.assertEqual(after[("cstad_sessions", (("server", port),))], 1)
        self.assertEqual(after[("cstad_connections", (("server", port), ("tls", "no"), ("type", "xml")))], 1)
        self.assertEqual(after[("cstad_monitors", ())], 1)
        moved = {name: after[key] - before.get(key, 0) for key in after
                 if key[0] == "cstad_requests_total" for name in [dict(key[1])["service"]]}
        self.assertEqual({k: v for k, v in moved.items() if v}, {"MonitorStart": 2, "MakeCall": 1, "ClearConnection": 1})
        self.assertEqual(before[("cstad_requests_total", (("service", "SetForwarding"),))], 0)  # every service
        self.assertEqual(errors_moved(before, after), {("MonitorStart", "operation", "invalidDeviceID"): 1})
        self.assertGreater(after[("cstad_received_bytes_total", ())], before[("cstad_received_bytes_total", ())])
        self.assertGreater(after[("cstad_sent_bytes_total", ())], before[("cstad_sent_bytes_total", ())])
        self.assertIn(("cstad_limit_hits_total", (("limit", "monitors per session"),)), after)
        c.close()

    def test_errors_are_counted_by_service_category_and_value(self):
        c = Client(self.server.port)
        c.request(monitor_start("1000"))
        before = self.metrics()
        # The exchange refuses it (a call that is not there): the error comes back from the LIM,
        # after the request was handed on.
        refused = c.request(clear("1000", "4711"))
        self.assertEqual(root_of(refused), "CSTAErrorCode")
        value = re.search(r"<operation>(\w+)</operation>", refused).group(1)
        # Not a service of this server: counted as "other", whatever the client called it.
        self.assertEqual(root_of(c.request(f'<FlyToTheMoon xmlns="{ED3}"/>')), "CSTAErrorCode")
        after = self.metrics()
        self.assertEqual(errors_moved(before, after), {("ClearConnection", "operation", value): 1,
                                                       ("other", "operation", "serviceNotSupported"): 1})
        self.assertEqual(after[("cstad_requests_total", (("service", "other"),))]
                         - before[("cstad_requests_total", (("service", "other"),))], 1)
        self.assertNotIn("FlyToTheMoon", self.get("metrics")[2])
        status_json = json.loads(self.get("status.json")[2])
        self.assertIn({"service": "ClearConnection", "category": "operation", "value": value, "count": 1},
                      status_json["errors_by_kind"])
        self.assertEqual(status_json["requests_by_service"]["ClearConnection"], 1)
        c.close()

    def chromium(self, *args):
        r = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                            "--virtual-time-budget=4000", *args, self.url],
                           capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr[-2000:])
        return r.stdout

    def test_the_status_page_in_a_browser_shows_the_group_and_the_session_and_moves(self):
        if shutil.which("chromium") is None:
            self.skipTest("chromium not installed (deploy/install-deps.sh installs it)")
        status, content_type, page = self.get("")
        self.assertEqual(status, 200)
        self.assertEqual(content_type, "text/html; charset=utf-8")
        self.assertNotIn("http://", page.split("</head>")[1])  # no external assets
        c = Client(self.server.port)
        c.request(monitor_start("1000"))
        peer = "127.0.0.1:%d" % c.sock.getsockname()[1]
        dom = self.chromium("--dump-dom")
        self.assertIn("Customer service", dom)
        self.assertIn("<td>6000</td>", dom)
        self.assertIn(f"<td>{peer}</td>", dom)
        self.assertIn("<td>1000</td>", dom)  # monitored devices
        requests_before = int(re.search(r'id="requests">(\d+)<', dom).group(1))
        for _ in range(3):
            answer = c.request(make_call("1000", "1001"))
            call = re.search(r"<callID>(\d+)</callID>", answer).group(1)
            c.request(clear("1000", call))
        dom = self.chromium("--dump-dom")
        self.assertEqual(int(re.search(r'id="requests">(\d+)<', dom).group(1)), requests_before + 6)
        shot = os.path.join(self.tmp, "status.png")
        self.chromium(f"--screenshot={shot}", "--window-size=1100,1300")
        with open(shot, "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")
        status_json = json.loads(self.get("status.json")[2])
        self.assertEqual([g["number"] for g in status_json["groups"]], ["6000", "6100"])
        c.close()


if __name__ == "__main__":
    admin_test.BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
