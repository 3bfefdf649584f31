#!/usr/bin/env python3
"""Three LIMs as one system, with real processes on loopback: a client of LIM 1 monitors and
controls devices of LIMs 2 and 3, calls between LIMs with one call id, a transfer across three
LIMs, configuration changes made on one LIM reaching the others, kill -9 of a LIM and its return.
Usage: cluster_test.py BIN_DIR [unittest options]."""

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import admin_test  # noqa: E402  (the client and message helpers)
from admin_test import ED3, Client, free_port, free_ports, monitor_start, root_of, wait_for  # noqa: E402


def text_of(xml, element):
    m = re.search(rf"<{element}>(?:<deviceIdentifier>)?([^<]*)<", xml)
    return m.group(1) if m else None


def call_of(xml):
    return re.search(r"<callID>([^<]+)</callID>", xml).group(1)


class Lim:
    """One cstad process of the system: LIM n with its own data directory."""

    def __init__(self, tmp, n, system_file, port):
        self.n = n
        self.port = port
        self.system_file = system_file
        self.data_dir = os.path.join(tmp, f"lim{n}")
        self.log_path = os.path.join(tmp, f"lim{n}.log")
        self.start()

    def start(self):
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen([os.path.join(admin_test.BIN, "cstad"), f"--lim={self.n}",
                                      f"--system={self.system_file}", f"--data-dir={self.data_dir}"],
                                     stdout=self.log, stderr=self.log)
        wait_for(lambda: self.ready() or self.proc.poll() is not None, what=f"LIM {self.n} to start")
        if self.proc.poll() is not None:
            raise AssertionError(f"LIM {self.n} ended at start:\n" + self.log_text())

    def ready(self):
        return admin_test.server_ready(self.data_dir, self.port, self.log_text)

    def kill(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)
        self.log.close()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=15)
        if not self.log.closed:
            self.log.close()

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()

    def ok(self, *args, stdin=None):
        r = subprocess.run([os.path.join(admin_test.BIN, args[0]), f"--data-dir={self.data_dir}", *args[1:]],
                           input=stdin, capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise AssertionError(f"{' '.join(args)} on LIM {self.n} failed ({r.returncode}): {r.stdout}{r.stderr}")
        return r.stdout

    def report(self):
        return json.loads(self.ok("csta", "-p", "--json"))


class Monitors:
    """A client's events sorted by monitor: each monitor's own sequence is what the exchange
    that owns its device produced, in order (across LIMs only the order per monitor is kept)."""

    def __init__(self, test, client):
        self.client = client
        test.addCleanup(client.close)
        self.names = {}   # cross-reference -> device
        self.events = {}  # device -> [xml]
        self.other = []   # frames for no monitor (SystemStatus, …)

    def start(self, device):
        answer = self.client.request(monitor_start(device))
        assert root_of(answer) == "MonitorStartResponse", answer
        self.names[text_of(answer, "monitorCrossRefID")] = device
        self.events[device] = []

    def request(self, xml):
        invoke = self.client.send(xml)
        while True:
            frame = self.client.next()
            assert frame is not None, "connection closed"
            if frame[0] == invoke:
                return frame[1]
            self.file(frame[1])

    def file(self, xml):
        ref = text_of(xml, "monitorCrossRefID")
        if ref in self.names and root_of(xml) != "MonitorStop":
            self.events[self.names[ref]].append(xml)
        else:
            self.other.append(xml)

    def take(self, device, count, timeout=10.0):
        """The next count events of the monitor of device, as (name, fields) pairs."""
        deadline = time.monotonic() + timeout
        while len(self.events[device]) < count:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{device}: {len(self.events[device])} of {count} events: "
                                     + "\n".join(self.events[device]))
            try:
                frame = self.client.next(timeout=left)
            except socket.timeout:
                continue
            assert frame is not None, "connection closed"
            self.file(frame[1])
        taken, self.events[device] = self.events[device][:count], self.events[device][count:]
        return [summary(x) for x in taken]

    def take_other(self, count, timeout=10.0):
        deadline = time.monotonic() + timeout
        while len(self.other) < count and time.monotonic() < deadline:
            try:
                frame = self.client.next(timeout=max(0.01, deadline - time.monotonic()))
            except socket.timeout:
                continue
            self.file(frame[1])
        taken, self.other = self.other[:count], self.other[count:]
        return taken

    def quiet(self, seconds=0.5):
        """Nothing more arrives for any monitor within seconds."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            try:
                frame = self.client.next(timeout=max(0.01, end - time.monotonic()))
            except socket.timeout:
                break
            self.file(frame[1])
        return {d: [summary(x) for x in e] for d, e in self.events.items() if e}


# The fields of an event a client acts on: its name, the subject device, the call, the
# monitored device's own connection state and the cause.
SUBJECTS = ["initiatingDevice", "alertingDevice", "answeringDevice", "releasingDevice", "holdingDevice",
            "retrievingDevice", "transferringDevice", "conferencingDevice", "failingDevice", "device", "callingDevice"]


def summary(xml):
    name = root_of(xml)
    subject = next((text_of(xml, s) for s in SUBJECTS if f"<{s}>" in xml), None)
    call = re.search(r"<callID>([^<]+)</callID>", xml)
    fields = [name.replace("Event", ""), subject]
    if call:
        fields.append(call.group(1))
    for extra in ("transferredToDevice", "localConnectionInfo", "cause"):
        value = text_of(xml, extra)
        if value is not None:
            fields.append(value)
    return tuple(fields)


def listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def make_call(calling, called):
    return (f'<MakeCall xmlns="{ED3}"><callingDevice>{calling}</callingDevice>'
            f"<calledDirectoryNumber>{called}</calledDirectoryNumber></MakeCall>")


def connection_request(name, tag, call, device, extra=""):
    return (f'<{name} xmlns="{ED3}"><{tag}><callID>{call}</callID><deviceID>{device}</deviceID></{tag}>'
            f"{extra}</{name}>")


class ClusterTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cstad-cluster-")
        # Six different ports: two LIMs given the same one would refuse the layout.
        ports = free_ports(6)
        self.ports = {n: ports[n - 1] for n in (1, 2, 3)}
        cluster = {n: ports[n + 2] for n in (1, 2, 3)}
        layout = {"lims": [
            {"id": 1, "host": "127.0.0.1", "cluster_port": cluster[1], "port": self.ports[1],
             "ranges": [{"first": "1000", "last": "1099", "kind": "ip"}],
             "acd_groups": [{"number": "6000", "name": "Service", "no_answer_s": 15}]},
            {"id": 2, "host": "127.0.0.1", "cluster_port": cluster[2], "port": self.ports[2],
             "ranges": [{"first": "2000", "last": "2099", "kind": "ip"}]},
            {"id": 3, "host": "127.0.0.1", "cluster_port": cluster[3], "port": self.ports[3],
             "ranges": [{"first": "3000", "last": "3099", "kind": "ip"}]}]}
        self.system_file = os.path.join(self.tmp, "system.json")
        with open(self.system_file, "w") as f:
            json.dump(layout, f)
        self.lims = {}
        for n in (1, 2, 3):
            self.lims[n] = Lim(self.tmp, n, self.system_file, self.ports[n])
        # Every LIM sees the two others.
        for n in (1, 2, 3):
            wait_for(lambda n=n: all(o["state"] == "up" for o in self.lims[n].report().get("lims", []))
                     and len(self.lims[n].report()["lims"]) == 2, what=f"LIM {n} to see the others")

    def tearDown(self):
        for lim in self.lims.values():
            lim.stop()
        if os.environ.get("CSTAD_KEEP_TEST_DIRS"):
            print("kept", self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def test_a_client_of_lim1_calls_across_lims_and_transfers_across_three(self):
        m = Monitors(self, Client(self.ports[1]))
        for device in ("2001", "3001", "1001"):
            m.start(device)
        answer = m.request(make_call("2001", "3001"))
        self.assertEqual(root_of(answer), "MakeCallResponse", answer)
        x = call_of(answer)
        self.assertTrue(x.startswith("2"), x)  # LIM 2's block: the caller's LIM numbers the call
        self.assertEqual(m.take("2001", 3), [("ServiceInitiated", "2001", x, "initiated", "makeCall"),
                                             ("Originated", "2001", x, "connected", "newCall"),
                                             ("Delivered", "3001", x, "connected", "newCall")])
        self.assertEqual(m.take("3001", 1), [("Delivered", "3001", x, "alerting", "newCall")])
        # Answered on LIM 3 through LIM 1: both sides see it, with the same call id.
        answer = m.request(connection_request("AnswerCall", "callToBeAnswered", x, "3001"))
        self.assertEqual(root_of(answer), "AnswerCallResponse", answer)
        self.assertEqual(m.take("3001", 1), [("Established", "3001", x, "connected", "newCall")])
        self.assertEqual(m.take("2001", 1), [("Established", "3001", x, "connected", "newCall")])
        # 2001 consults 1001 on LIM 1: its call with 3001 is held (3001's monitor sees it).
        answer = m.request(connection_request("ConsultationCall", "existingCall", x, "2001",
                                              "<consultedDevice>1001</consultedDevice>"))
        self.assertEqual(root_of(answer), "ConsultationCallResponse", answer)
        y = call_of(answer)
        self.assertEqual(m.take("2001", 4), [("Held", "2001", x, "hold", "consultation"),
                                             ("ServiceInitiated", "2001", y, "initiated", "consultation"),
                                             ("Originated", "2001", y, "connected", "consultation"),
                                             ("Delivered", "1001", y, "connected", "consultation")])
        self.assertEqual(m.take("3001", 1), [("Held", "2001", x, "connected", "consultation")])
        self.assertEqual(m.take("1001", 1), [("Delivered", "1001", y, "alerting", "consultation")])
        m.request(connection_request("AnswerCall", "callToBeAnswered", y, "1001"))
        self.assertEqual(m.take("1001", 1), [("Established", "1001", y, "connected", "consultation")])
        self.assertEqual(m.take("2001", 1), [("Established", "1001", y, "connected", "consultation")])
        # The transfer joins 3001 (LIM 3) and 1001 (LIM 1); LIM 2 keeps nothing of the call.
        answer = m.request(f'<TransferCall xmlns="{ED3}"><heldCall><callID>{x}</callID><deviceID>2001</deviceID>'
                           f"</heldCall><activeCall><callID>{y}</callID><deviceID>2001</deviceID></activeCall>"
                           "</TransferCall>")
        self.assertEqual(root_of(answer), "TransferCallResponse", answer)
        t2001 = m.take("2001", 1)[0]
        self.assertEqual((t2001[0], t2001[1], t2001[-2]), ("Transfered", "2001", "null"))
        t3001 = m.take("3001", 1)[0]
        t1001 = m.take("1001", 1)[0]
        self.assertEqual((t3001[0], t3001[1]), ("Transfered", "2001"))
        self.assertEqual((t1001[0], t1001[1]), ("Transfered", "2001"))
        self.assertIn("1001", t3001)  # transferred to 1001
        self.assertIn("3001", t1001)
        # One call id on both sides afterwards: a clear on LIM 1 reaches LIM 3 directly.
        snapshot = m.request(f'<SnapshotDevice xmlns="{ED3}"><snapshotObject>1001</snapshotObject></SnapshotDevice>')
        z = call_of(snapshot)
        snapshot3 = m.request(f'<SnapshotDevice xmlns="{ED3}"><snapshotObject>3001</snapshotObject></SnapshotDevice>')
        self.assertEqual(call_of(snapshot3), z)
        m.request(connection_request("ClearConnection", "connectionToBeCleared", z, "1001"))
        self.assertEqual(m.take("1001", 1), [("ConnectionCleared", "1001", z, "null", "normalClearing")])
        # 3001 was the last one left: its connection is released too.
        self.assertEqual(m.take("3001", 2), [("ConnectionCleared", "1001", z, "connected", "normalClearing"),
                                             ("ConnectionCleared", "3001", z, "null", "normalClearing")])
        self.assertEqual(m.quiet(), {})

    def test_a_conference_across_three_lims(self):
        m = Monitors(self, Client(self.ports[1]))
        for device in ("2001", "3001", "1001"):
            m.start(device)
        x = call_of(m.request(make_call("2001", "3001")))
        # 3001 answers once it rings (LIM 2's signal of the call to LIM 3 may come after the
        # MakeCall's response reached this client).
        self.assertEqual([e[0] for e in m.take("3001", 1)], ["Delivered"])
        answer = m.request(connection_request("AnswerCall", "callToBeAnswered", x, "3001"))
        self.assertEqual(root_of(answer), "AnswerCallResponse", answer)
        # As a desk would, 2001 consults once it has seen the answer: the AnswerCall's response
        # (from LIM 3, through LIM 1) can reach this client before LIM 3's signal of the answer
        # reaches LIM 2, and a consultation that overtakes it finds the call still ringing there.
        self.assertEqual([e[0] for e in m.take("2001", 4)],
                         ["ServiceInitiated", "Originated", "Delivered", "Established"])
        y = call_of(m.request(connection_request("ConsultationCall", "existingCall", x, "2001",
                                                 "<consultedDevice>1001</consultedDevice>")))
        # 1001 answers once it rings, as a desk would: the ConsultationCall's response (from
        # LIM 2) can reach this client before LIM 2's signal of the call reaches 1001's LIM 1.
        self.assertEqual([e[0] for e in m.take("1001", 1)], ["Delivered"])
        answer = m.request(connection_request("AnswerCall", "callToBeAnswered", y, "1001"))
        self.assertEqual(root_of(answer), "AnswerCallResponse", answer)
        m.take("2001", 5)
        m.take("3001", 2)
        m.take("1001", 1)
        answer = m.request(f'<ConferenceCall xmlns="{ED3}"><heldCall><callID>{x}</callID><deviceID>2001</deviceID>'
                           f"</heldCall><activeCall><callID>{y}</callID><deviceID>2001</deviceID></activeCall>"
                           "</ConferenceCall>")
        self.assertEqual(root_of(answer), "ConferenceCallResponse", answer)
        # Every LIM's monitor sees the conference, made by 2001, under one call id.
        seen = {}
        for device in ("2001", "3001", "1001"):
            event = m.take(device, 1)[0]
            self.assertEqual(event[:2], ("Conferenced", "2001"), (device, event))
            seen[device] = event[2]
        self.assertEqual(len(set(seen.values())), 1, seen)
        z = seen["2001"]
        # 1001 leaves: everyone sees it, and the call goes on with two.
        m.request(connection_request("ClearConnection", "connectionToBeCleared", z, "1001"))
        self.assertEqual(m.take("1001", 1), [("ConnectionCleared", "1001", z, "null", "normalClearing")])
        for device in ("2001", "3001"):
            self.assertEqual(m.take(device, 1), [("ConnectionCleared", "1001", z, "connected", "normalClearing")])
        self.assertEqual(m.quiet(), {})

    def test_an_agent_on_lim2_logs_on_to_a_group_on_lim1_and_gets_its_calls(self):
        m = Monitors(self, Client(self.ports[1]))
        for device in ("2010", "6000", "3001"):
            m.start(device)
        logon = m.request(f'<SetAgentState xmlns="{ED3}"><device>2010</device><requestedAgentState>loggedOn'
                          "</requestedAgentState><agentID>501</agentID><group>6000</group></SetAgentState>")
        self.assertEqual(root_of(logon), "SetAgentStateResponse", logon)
        ready = m.request(f'<SetAgentState xmlns="{ED3}"><device>2010</device><requestedAgentState>ready'
                          "</requestedAgentState></SetAgentState>")
        self.assertEqual(root_of(ready), "SetAgentStateResponse", ready)
        state = m.request(f'<GetAgentState xmlns="{ED3}"><device>2010</device></GetAgentState>')
        self.assertIn("<agentID>501</agentID>", state)
        self.assertIn("agentReady", state)
        # A caller on LIM 3 calls the group on LIM 1; the agent on LIM 2 rings and answers.
        x = call_of(m.request(make_call("3001", "6000")))
        delivered = m.take("2010", 1)[0]
        self.assertEqual(delivered[:3], ("Delivered", "2010", x))
        answer = m.request(connection_request("AnswerCall", "callToBeAnswered", x, "2010"))
        self.assertEqual(root_of(answer), "AnswerCallResponse", answer)
        established = [e for e in m.take("3001", 4)][-1]
        self.assertEqual(established[:3], ("Established", "2010", x))
        busy = m.request(f'<GetAgentState xmlns="{ED3}"><device>2010</device></GetAgentState>')
        self.assertIn("agentBusy", busy)

    def test_configuration_changes_on_one_lim_reach_every_lim(self):
        self.lims[3].ok("csta_authentication", "-i", "--user=ops", "--password-stdin", stdin="s3cr3t-pass\n")
        for n in (1, 2):
            wait_for(lambda n=n: "ops" in self.lims[n].ok("csta_authentication", "-p"),
                     what=f"the account on LIM {n}")
        # A client of LIM 1 logs on with the account made on LIM 3.
        c = Client(self.ports[1])
        self.addCleanup(c.close)
        ok = c.request(admin_test.start_session("ops", "s3cr3t-pass"))
        self.assertEqual(root_of(ok), "StartApplicationSessionPosResponse", ok)
        # csta -i on LIM 1 for LIM 2: LIM 2 starts the server; every LIM shows it.
        extra = free_port()
        out = self.lims[1].ok("csta", "-i", "--type=xml", "--lim=2", f"--port={extra}")
        self.assertIn("initiated on LIM 2", out)
        wait_for(lambda: listening(extra), what="LIM 2's new server")
        c2 = Client(extra)
        self.addCleanup(c2.close)
        self.assertEqual(root_of(c2.request(monitor_start("1005"))), "MonitorStartResponse")
        lim2 = next(o for o in self.lims[3].report()["lims"] if o["lim"] == 2)
        self.assertIn(extra, [s["port"] for s in lim2["servers"]])

    def test_kill_9_of_lim3_and_its_return(self):
        m = Monitors(self, Client(self.ports[1]))
        for device in ("3001", "2001"):
            m.start(device)
        x = call_of(m.request(make_call("2001", "3001")))
        m.take("3001", 1)  # ringing: now it can answer
        answer = m.request(connection_request("AnswerCall", "callToBeAnswered", x, "3001"))
        self.assertEqual(root_of(answer), "AnswerCallResponse", answer)
        m.take("2001", 4)
        m.take("3001", 1)
        self.lims[3].kill()
        # The monitor of a device of the dead LIM: out of service; the system: partly disabled.
        self.assertEqual(m.take("3001", 1), [("OutOfService", "3001")])
        statuses = m.take_other(1)
        self.assertEqual(len(statuses), 1)
        self.assertEqual(root_of(statuses[0]), "SystemStatus")
        self.assertIn("<systemStatus>partiallyDisabled</systemStatus>", statuses[0])
        # The call between LIM 2 and the dead LIM is cleared on the live side.
        self.assertEqual(m.take("2001", 2), [("ConnectionCleared", "3001", x, "connected", "networkOutOfOrder"),
                                             ("ConnectionCleared", "2001", x, "null", "networkOutOfOrder")])
        # The other LIMs go on serving their own devices.
        y = call_of(m.request(make_call("2001", "2002")))
        self.assertEqual([e[0] for e in m.take("2001", 3)], ["ServiceInitiated", "Originated", "Delivered"])
        m.request(connection_request("ClearConnection", "connectionToBeCleared", y, "2001"))
        m.take("2001", 1)
        refused = m.request(monitor_start("3002"))
        self.assertEqual(root_of(refused), "CSTAErrorCode", refused)
        self.assertIn("resourceOutOfService", refused)
        lim3 = next(o for o in self.lims[1].report()["lims"] if o["lim"] == 3)
        self.assertEqual(lim3["state"], "down")
        # LIM 3 comes back: it joins by itself, the monitor works again.
        self.lims[3].start()
        self.assertEqual(m.take("3001", 1, timeout=15), [("BackInService", "3001")])
        statuses = m.take_other(1)
        self.assertIn("<systemStatus>normal</systemStatus>", statuses[0])
        z = call_of(m.request(make_call("3001", "3002")))
        self.assertEqual(m.take("3001", 3), [("ServiceInitiated", "3001", z, "initiated", "makeCall"),
                                             ("Originated", "3001", z, "connected", "newCall"),
                                             ("Delivered", "3002", z, "connected", "newCall")])
        self.assertEqual(root_of(m.request(monitor_start("3002"))), "MonitorStartResponse")
        wait_for(lambda: next(o for o in self.lims[1].report()["lims"] if o["lim"] == 3)["state"] == "up",
                 what="LIM 3 up in csta -p")


if __name__ == "__main__":
    admin_test.BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
