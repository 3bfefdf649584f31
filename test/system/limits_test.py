#!/usr/bin/env python3
"""What one client cannot take from the others, with real processes: the file descriptors
(cstad under a lowered RLIMIT_NOFILE). Usage: limits_test.py BIN_DIR [unittest options]."""

import os
import resource
import shutil
import socket
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import admin_test  # noqa: E402  (the server, client and message helpers)
from admin_test import Client, Server, monitor_start, root_of, wait_for  # noqa: E402


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


if __name__ == "__main__":
    admin_test.BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
