#!/usr/bin/env python3
"""The Wireshark dissector (deploy/wireshark/csta_xml.lua) on a capture this test records on
loopback while a client talks to cstad: every frame shows its invoke id and message name, and
its XML goes to Wireshark's XML dissector. Usage: wireshark_test.py BIN_DIR [unittest options]."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import admin_test  # noqa: E402  (the server, client and message helpers)
from admin_test import ED3, Client, Server, monitor_start, root_of  # noqa: E402

DISSECTOR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "deploy", "wireshark",
                         "csta_xml.lua")


def make_call(a, b):
    return (f'<MakeCall xmlns="{ED3}"><callingDevice>{a}</callingDevice>'
            f"<calledDirectoryNumber>{b}</calledDirectoryNumber></MakeCall>")


class WiresharkTest(unittest.TestCase):
    def setUp(self):
        if shutil.which("dumpcap") is None or shutil.which("tshark") is None:
            self.skipTest("dumpcap/tshark not installed (deploy/install-deps.sh installs tshark)")
        self.tmp = tempfile.mkdtemp(prefix="cstad-wireshark-")
        self.server = Server(os.path.join(self.tmp, "data"))

    def tearDown(self):
        self.server.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def capture(self, port, conversation):
        """Records the loopback traffic of `port` while conversation() runs; the capture file."""
        path = os.path.join(self.tmp, "csta.pcapng")
        cap = subprocess.Popen(["dumpcap", "-q", "-i", "lo", "-f", f"tcp port {port}", "-w", path],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # dumpcap says "Capturing on" once it is; wait for the file to exist before talking.
        deadline = time.monotonic() + 20
        while not os.path.exists(path) and time.monotonic() < deadline and cap.poll() is None:
            time.sleep(0.05)
        if cap.poll() is not None:
            self.skipTest("dumpcap cannot capture here (it needs CAP_NET_RAW)")
        time.sleep(0.5)
        try:
            conversation()
            time.sleep(0.5)
        finally:
            cap.send_signal(signal.SIGINT)
            cap.wait(timeout=20)
        return path

    def tshark(self, path, port, *fields):
        args = ["tshark", "-r", path, "-X", f"lua_script:{DISSECTOR}", "-d", f"tcp.port=={port},cstaxml",
                "-Y", "cstaxml"]
        if fields:
            args += ["-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"]
            for f in fields:
                args += ["-e", f]
        r = subprocess.run(args, capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("Lua: Error", r.stderr)
        return r.stdout

    def test_frames_show_invoke_id_and_message_name_and_the_xml_is_dissected(self):
        port = self.server.port
        sent = []

        def conversation():
            c = Client(port)
            monitor = c.request(monitor_start("1000"))
            sent.append(root_of(monitor))
            answer = c.request(make_call("1000", "1001"))
            sent.append(root_of(answer))
            # The events of the call on 1000's monitor, then the client goes.
            for _ in range(2):
                frame = c.next(timeout=5)
                self.assertIsNotNone(frame)
                sent.append(root_of(frame[1]))
            c.close()

        path = self.capture(port, conversation)
        self.assertEqual(sent, ["MonitorStartResponse", "MakeCallResponse", "ServiceInitiatedEvent",
                                "OriginatedEvent"])
        frames = []
        for line in self.tshark(path, port, "cstaxml.invoke_id", "cstaxml.message").splitlines():
            invokes, names = line.split("\t")
            frames += list(zip(invokes.split("|"), names.split("|")))
        self.assertEqual(frames[:6], [("0001", "MonitorStart"), ("0001", "MonitorStartResponse"),
                                      ("0002", "MakeCall"), ("0002", "MakeCallResponse"),
                                      ("9999", "ServiceInitiatedEvent"), ("9999", "OriginatedEvent")])
        # The Info column names the frames; the XML dissector shows the document's elements.
        summary = self.tshark(path, port)
        self.assertIn("0002 MakeCall", summary)
        self.assertIn("9999 ServiceInitiatedEvent", summary)
        tags = self.tshark(path, port, "xml.tag")
        self.assertIn("<callingDevice>", tags)
        self.assertIn("<monitorCrossRefID>", tags)

    def test_the_default_port_needs_no_decode_as(self):
        r = subprocess.run(["tshark", "-G", "decodes", "-X", f"lua_script:{DISSECTOR}"],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("tcp.port\t8882\tcstaxml", r.stdout)


if __name__ == "__main__":
    admin_test.BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
