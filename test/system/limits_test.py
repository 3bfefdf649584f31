#!/usr/bin/env python3
"""What one client cannot take from the others, and what signals do, with real processes: the
file descriptors (cstad under a lowered RLIMIT_NOFILE), SIGTERM with a client that never reads,
SIGHUP. Usage: limits_test.py BIN_DIR [unittest options]."""

import json
import os
import resource
import signal
import shutil
import socket
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import admin_test  # noqa: E402  (the server, client and message helpers)
from admin_test import ED3, Client, Server, free_port, monitor_start, root_of, wait_for  # noqa: E402


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def answered(client):
    try:
        return root_of(client.request(monitor_start("1000"))) == "MonitorStartResponse"
    except (OSError, AssertionError):
        return False


class LimitsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cstad-limits-")

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_out_of_descriptors_new_clients_are_closed_the_others_served_nothing_spins(self):
        limit = 160

        def lower():
            resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

        self.server = Server(os.path.join(self.tmp, "data"), preexec=lower)
        log = self.server.log_text()
        self.assertIn(f"file descriptors: limit {limit}", log)
        clients, refused = [], 0
        for _ in range(limit):  # more than the process could ever hold
            try:
                c = Client(self.server.port)
            except OSError:
                refused += 1
                continue
            if answered(c):
                clients.append(c)
            else:
                refused += 1
                c.close()
        self.assertGreater(len(clients), 40)
        self.assertGreater(refused, 0)
        wait_for(lambda: "near its file descriptor limit" in self.server.log_text(), what="the log line")
        # While it refuses, it does not spin, and the clients it holds are served.
        before = cpu_seconds(self.server.proc.pid)
        for _ in range(20):
            try:
                Client(self.server.port).close()
            except OSError:
                pass
        time.sleep(1.0)
        self.assertLess(cpu_seconds(self.server.proc.pid) - before, 0.5)
        self.assertTrue(all(answered(c) for c in clients[:10]))
        # Room again: a new client is served.
        for c in clients[:5]:
            c.close()
        wait_for(lambda: "accepting again" in self.server.log_text(), what="room again")
        fresh = Client(self.server.port)
        self.assertTrue(answered(fresh))
        fresh.close()
        for c in clients[5:]:
            c.close()


    def test_connections_per_address_and_the_login_timeout(self):
        self.server = Server(os.path.join(self.tmp, "data"),
                             extra=["--max-connections-per-address=3", "--login-timeout=1", "--session-required"])
        clients = [Client(self.server.port) for _ in range(3)]
        extra = Client(self.server.port)
        self.assertIsNotNone(extra.closed(timeout=5))  # the fourth from 127.0.0.1 is closed at once
        wait_for(lambda: "the most one address may have" in self.server.log_text(), what="the log line")
        # None of them starts an application session: each is closed after the login timeout.
        started = time.monotonic()
        for c in clients:
            self.assertIsNotNone(c.closed(timeout=10))
        self.assertLess(time.monotonic() - started, 5)
        self.assertIn("no application session started within 1 s", self.server.log_text())
        # csta -p reports each limit with what it is set to and how often it was hit.
        limits = {x["limit"]: x for x in self.server.report()["limits"]}
        self.assertEqual(limits["connections per client address"]["setting"], "3")
        self.assertEqual(limits["connections per client address"]["hits"], 1)
        self.assertEqual(limits["time to start a required application session"]["setting"], "1 s")
        self.assertEqual(limits["time to start a required application session"]["hits"], 3)
        self.assertEqual(limits["monitors per session"]["hits"], 0)
        self.assertIn("Limits of LIM 1", self.server.ok("csta", "-p"))
        # Room again for that address; one that logs on in time stays.
        self.server.ok("csta_authentication", "-i", "--user=desk", "--password-stdin", stdin="s3cr3t-pass\n")
        c = Client(self.server.port)
        ok = c.request(admin_test.start_session("desk", "s3cr3t-pass"))
        self.assertEqual(root_of(ok), "StartApplicationSessionPosResponse", ok)
        time.sleep(1.5)
        self.assertTrue(answered(c))
        c.close()

    def test_the_monitors_a_session_may_hold_are_as_the_command_line_says(self):
        self.server = Server(os.path.join(self.tmp, "data"), extra=["--max-monitors-per-session=2"])
        c = Client(self.server.port)
        for device in ("1000", "1001"):
            self.assertEqual(root_of(c.request(monitor_start(device))), "MonitorStartResponse")
        refused = c.request(monitor_start("1002"))
        self.assertIn("<subscribedResourceAvailability>objectMonitorLimitExceeded</subscribedResourceAvailability>",
                      refused)
        c.close()

    def test_sigterm_ends_the_server_soon_whatever_a_client_does_not_read(self):
        self.server = Server(os.path.join(self.tmp, "data"))
        stuck = Client(self.server.port)
        stuck.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        for device in range(1000, 1100):
            stuck.send(monitor_start(str(device)))
        # Calls between its monitored extensions, and it never reads a byte.
        for pair in range(40, 100, 2):
            stuck.send(f'<MakeCall xmlns="{ED3}"><callingDevice>{1000 + pair}</callingDevice>'
                       f"<calledDirectoryNumber>{1001 + pair}</calledDirectoryNumber></MakeCall>")
        time.sleep(0.5)
        started = time.monotonic()
        self.server.proc.send_signal(signal.SIGTERM)
        self.server.proc.wait(timeout=10)
        self.assertLess(time.monotonic() - started, 5)
        self.assertEqual(self.server.proc.returncode, 0)
        stuck.close()

    def test_sighup_reads_the_configuration_again_and_never_ends_the_server(self):
        self.server = Server(os.path.join(self.tmp, "data"))
        c = Client(self.server.port)
        self.assertTrue(answered(c))
        path = os.path.join(self.server.data_dir, "config.json")
        with open(path) as f:
            config = json.load(f)
        extra = free_port()
        config["servers"].append({"lim": 1, "type": "xml", "host": "127.0.0.1", "port": extra, "tls": False,
                                  "auth": "optional", "max_sessions": 0})
        with open(path, "w") as f:
            json.dump(config, f)
        self.server.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "SIGHUP: configuration read again" in self.server.log_text(), what="the reload")
        second = Client(extra)
        self.assertTrue(answered(second))
        second.close()
        self.assertTrue(answered(c))  # the client of before is still served
        self.assertIn(extra, [s["port"] for s in self.server.report()["servers"]])
        # A broken file changes nothing, and the server stays up.
        with open(path, "w") as f:
            f.write("{not json")
        self.server.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "SIGHUP: config.json cannot be used, nothing changed" in self.server.log_text(),
                 what="the refusal")
        self.assertIsNone(self.server.proc.poll())
        self.assertTrue(answered(c))
        c.close()

    def test_sighup_reads_the_log_level_of_the_ini_file_again(self):
        ini = os.path.join(self.tmp, "cstad.ini")
        with open(ini, "w") as f:
            f.write('[global]\nlog-level="info"\n')
        self.server = Server(os.path.join(self.tmp, "data"), extra=[f"--config-file={ini}"])
        c = Client(self.server.port)
        self.assertTrue(answered(c))
        self.assertNotIn("-> 0001", self.server.log_text())  # frames are logged at debug only
        with open(ini, "w") as f:
            f.write('[global]\nlog-level="debug"\n')
        self.server.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: "SIGHUP: log level debug" in self.server.log_text(), what="the new level")
        self.assertTrue(answered(c))
        wait_for(lambda: "-> 0002" in self.server.log_text(), what="a frame logged at debug")
        # A level that is none keeps the one in force.
        with open(ini, "w") as f:
            f.write('[global]\nlog-level="loud"\n')
        self.server.proc.send_signal(signal.SIGHUP)
        wait_for(lambda: 'log-level "loud"' in self.server.log_text(), what="the refusal")
        self.assertTrue(answered(c))
        wait_for(lambda: "-> 0003" in self.server.log_text(), what="still at debug")
        c.close()


if __name__ == "__main__":
    admin_test.BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
