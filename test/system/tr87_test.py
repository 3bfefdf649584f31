#!/usr/bin/env python3
"""TR/87 (uaCSTA: CSTA XML over SIP) end to end over TCP, with real processes: cstad --sip-port
and csta -i --type=tr87; SIPp playing a Lync-style client with deploy/sipp/lync_monitor_call.xml;
raw SIP from Python for the details of the wire and for what a well-behaved client never sends.
Usage: tr87_test.py BIN_DIR [unittest options].

The session timer's expiry takes 90 s at least (Min-SE); it runs only with CSTAD_SLOW_TESTS=1
(deploy/sipp/expiry.xml under SIPp)."""

import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import admin_test  # noqa: E402  (the server and its helpers)
from admin_test import ED3, free_port, wait_for  # noqa: E402

SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCENARIOS = os.path.join(SOURCE, "deploy", "sipp")
SIPP = shutil.which("sipp")
LCS = "http://schemas.microsoft.com/Lcs/2005/04/RCCExtension"
CSTA = "application/csta+xml"
ALLOW = "INVITE, ACK, BYE, CANCEL, OPTIONS, INFO, UPDATE"
LINE = "tel:+4687001000"
CALLED = "tel:+4687001001"


def request_system_status(line=LINE):
    return (f'<?xml version="1.0" encoding="UTF-8"?><RequestSystemStatus xmlns="{ED3}"><extensions><privateData>'
            f'<private><lcs:line xmlns:lcs="{LCS}">{line}</lcs:line></private></privateData></extensions>'
            "</RequestSystemStatus>")


def monitor_start(device):
    return f'<MonitorStart xmlns="{ED3}"><monitorObject><deviceObject>{device}</deviceObject></monitorObject></MonitorStart>'


def make_call(calling, called):
    return (f'<MakeCall xmlns="{ED3}"><callingDevice>{calling}</callingDevice><calledDirectoryNumber>{called}'
            "</calledDirectoryNumber><autoOriginate>doNotPrompt</autoOriginate></MakeCall>")


def clear_connection(call, device):
    return (f'<ClearConnection xmlns="{ED3}"><connectionToBeCleared><callID>{call}</callID><deviceID>{device}'
            "</deviceID></connectionToBeCleared></ClearConnection>")


def root_of(xml):
    return re.search(r"<([A-Za-z]+)[ >/]", xml.split("?>", 1)[-1]).group(1)


def device_ids(xml):
    return re.findall(r"<(?:deviceID|deviceIdentifier)>([^<]*)<", xml)


class Message:
    """One SIP message as it came: start line, headers (lower-case names, in order), body."""

    def __init__(self, head, body):
        lines = head.split("\r\n")
        self.start = lines[0]
        self.headers = []
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers.append((name.strip().lower(), value.strip()))
        self.body = body
        self.text = head + "\r\n\r\n" + body

    @property
    def status(self):
        m = re.match(r"SIP/2\.0 (\d{3}) ", self.start)
        return int(m.group(1)) if m else None

    @property
    def method(self):
        return None if self.start.startswith("SIP/") else self.start.split(" ", 1)[0]

    @property
    def request_uri(self):
        return self.start.split(" ")[1]

    def header(self, name):
        for n, v in self.headers:
            if n == name:
                return v
        return None

    def cseq(self):
        number, method = self.header("cseq").split()
        return int(number), method

    def tag(self, name):
        m = re.search(r";tag=([^;>\s]+)", self.header(name) or "")
        return m.group(1) if m else None

    def __repr__(self):
        return self.text


class SipClient:
    """A Lync-style TR/87 client over TCP: one connection, one dialog (Call-ID, our tag)."""

    serial = 0

    def __init__(self, port, tag=None, connect=True):
        SipClient.serial += 1
        self.port = port
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10) if connect else None
        self.local = self.sock.getsockname()[1] if connect else 5999
        self.contact = f"sip:desk@127.0.0.1:{self.local};transport=tcp"
        self.buf = b""
        self.call_id = f"tr87-{SipClient.serial}-{os.getpid()}-{time.monotonic_ns()}@127.0.0.1"
        self.tag = tag or f"desk{SipClient.serial}"
        self.remote_tag = None
        self.cseq = 0
        self.events = []  # INFO requests from cstad, in order (each answered 200)
        self.requests = []  # its other requests (BYE), answered 200 too

    def close(self):
        if self.sock:
            self.sock.close()

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def build(self, method, body="", cseq=None, extra="", branch=None, content_type=CSTA, to_tag=None):
        if cseq is None:
            self.cseq += 1
            cseq = self.cseq
        to_tag = self.remote_tag if to_tag is None else to_tag
        to = f"<sip:cstad@127.0.0.1:{self.port}>" + (f";tag={to_tag}" if to_tag else "")
        SipClient.serial += 1
        branch = branch or f"z9hG4bK{method.lower()}{cseq}x{SipClient.serial}"
        head = (f"{method} sip:cstad@127.0.0.1:{self.port};transport=tcp SIP/2.0\r\n"
                f"Via: SIP/2.0/TCP 127.0.0.1:{self.local};branch={branch}\r\n"
                "Max-Forwards: 70\r\n"
                f"From: <sip:desk@example.com>;tag={self.tag}\r\n"
                f"To: {to}\r\nCall-ID: {self.call_id}\r\nCSeq: {cseq} {method}\r\n"
                f"Contact: <{self.contact}>\r\n{extra}")
        data = body.encode()
        if data:
            head += f"Content-Type: {content_type}\r\nContent-Disposition: signal;handling=required\r\n"
        return head.encode() + f"Content-Length: {len(data)}\r\n\r\n".encode() + data

    def next(self, timeout=10.0):
        """The next message from cstad; None when it closed the connection."""
        self.sock.settimeout(timeout)
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end >= 0:
                m = re.search(rb"(?im)^(?:content-length|l)\s*:\s*(\d+)", self.buf[:end])
                n = int(m.group(1)) if m else 0
                if len(self.buf) >= end + 4 + n:
                    head, body = self.buf[:end].decode(), self.buf[end + 4:end + 4 + n].decode()
                    self.buf = self.buf[end + 4 + n:]
                    return Message(head, body)
            try:
                data = self.sock.recv(65536)
            except (ConnectionResetError, BrokenPipeError):
                return None
            if not data:
                return None
            self.buf += data

    def closed(self, timeout=10.0):
        """True when cstad closes the connection within timeout (what came meanwhile is dropped)."""
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                if self.next(max(0.01, deadline - time.monotonic())) is None:
                    return True
        except socket.timeout:
            return False
        return False

    def answer(self, request, status=200, reason="OK"):
        keep = "".join(f"{n.title()}: {v}\r\n" for n, v in request.headers
                       if n in ("via", "from", "to", "call-id", "cseq"))
        self.send(f"SIP/2.0 {status} {reason}\r\n{keep}Content-Length: 0\r\n\r\n")

    def keep(self, m):
        (self.events if m.method == "INFO" else self.requests).append(m)
        self.answer(m)

    def response(self, cseq, timeout=10.0):
        """The final response to our request cseq; cstad's requests meanwhile are kept and answered."""
        deadline = time.monotonic() + timeout
        while True:
            m = self.next(max(0.01, deadline - time.monotonic()))
            if m is None:
                raise AssertionError(f"cstad closed the connection while we waited for the answer to CSeq {cseq}")
            if m.status is None:
                self.keep(m)
            elif m.cseq()[0] == cseq and m.status >= 200:
                return m

    def transact(self, method, body="", **kw):
        data = self.build(method, body, **kw)
        cseq = int(re.search(rb"CSeq: (\d+)", data).group(1))
        self.send(data)
        r = self.response(cseq)
        if method == "INVITE":
            if r.status < 300 and r.tag("to"):
                self.remote_tag = r.tag("to")
            self.send(self.build("ACK", cseq=cseq))
        return r

    def invite(self, line=LINE, expires=1800, extra=""):
        hdr = "Supported: timer\r\n" + (f"Session-Expires: {expires}\r\n" if expires else "") + extra
        return self.transact("INVITE", request_system_status(line), extra=hdr)

    def info(self, xml, **kw):
        return self.transact("INFO", xml, **kw)

    def wait_event(self, name, timeout=10.0):
        """The first event of that root element (waiting for it when it has not come yet)."""
        deadline = time.monotonic() + timeout
        while True:
            for e in self.events:
                if root_of(e.body) == name:
                    return e
            m = self.next(max(0.01, deadline - time.monotonic()))
            if m is None:
                raise AssertionError(f"cstad closed the connection while we waited for {name}")
            if m.method:
                self.keep(m)

    def wait_request(self, method, timeout=10.0):
        deadline = time.monotonic() + timeout
        while True:
            for r in self.requests:
                if r.method == method:
                    return r
            m = self.next(max(0.01, deadline - time.monotonic()))
            if m is None:
                raise AssertionError(f"cstad closed the connection while we waited for its {method}")
            if m.method:
                self.keep(m)


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def log_of(server):
    """cstad's output so far (bytes that are not UTF-8 replaced: a client can put them there)."""
    with open(server.log_path, errors="replace") as f:
        return f.read()


def raw_exchange(port, data, timeout=5.0):
    """Sends bytes on a new connection: (what came back, whether cstad closed the connection)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    s.settimeout(timeout)
    out = b""
    closed = False
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                closed = True
                break
            out += chunk
            if out.endswith(b"\r\n\r\n") and b"Content-Length: 0" in out:
                s.settimeout(0.5)  # the whole answer is there; does the connection stay?
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    s.close()
    return out.decode(errors="replace"), closed


# --- the wire trace ---------------------------------------------------------------------------

AUTHORIZATION = 'Authorization: Digest username="desk", realm="cstad", nonce="4f1a", uri="sip:cstad", response="9a0b7c1d"\r\n'
MASKED = "Authorization: Digest ***"


def trace_entries(server):
    """trace.log without its timestamps: the entries as a user reads them, line by line."""
    with open(os.path.join(server.data_dir, "trace.log"), errors="replace") as f:
        return re.sub(r"(?m)^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6} ", "", f.read())


def entry(peer, direction, message, carrier="sip-tcp"):
    """The trace's entry of one whole SIP message: its first line after who, which way, the
    carrier and "-" (no invoke id in SIP), its other lines indented; credentials masked."""
    text = message if isinstance(message, str) else message.decode()
    lines = text.rstrip("\r\n").replace("\r\n", "\n").split("\n")
    lines = [MASKED if line.startswith("Authorization: ") else line for line in lines]
    return "\n".join([f"{peer} {direction} {carrier} - {lines[0]}"] + ["  " + line for line in lines[1:]]) + "\n"


def sent_and_answered(client, method, body="", **kw):
    """A request as the client sent it (its bytes) and cstad's final answer; an INVITE's ACK too."""
    data = client.build(method, body, **kw)
    cseq = int(re.search(rb"CSeq: (\d+)", data).group(1))
    client.send(data)
    answer = client.response(cseq)
    if method == "INVITE":
        client.remote_tag = client.remote_tag or answer.tag("to")
        client.send(client.build("ACK", cseq=cseq))
    return data, answer


class Tr87Test(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cstad-tr87-")
        self.servers = []
        self.clients = []

    def tearDown(self):
        for c in self.clients:
            c.close()
        for s in self.servers:
            s.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def server(self, name="data", extra=()):
        """cstad with a TR/87 server on s.sip_port (from --sip-port)."""
        sip_port = free_port()
        s = admin_test.Server(os.path.join(self.tmp, name), extra=(f"--sip-port={sip_port}", *extra))
        self.servers.append(s)
        s.sip_port = sip_port
        wait_for(lambda: f"tr87/tcp on 127.0.0.1:{sip_port}" in s.log_text(), what="the TR/87 server")
        return s

    def client(self, port, **kw):
        c = SipClient(port, **kw)
        self.clients.append(c)
        return c

    def dialog(self, s, line=LINE, **kw):
        c = self.client(s.sip_port)
        r = c.invite(line, **kw)
        self.assertEqual(r.status, 200, r)
        return c

    def assert_serving(self, s):
        """A new client still gets its dialog (and cstad is still running)."""
        if s.proc.poll() is not None:
            self.fail("cstad ended:\n" + log_of(s)[-3000:])
        c = self.client(s.sip_port)
        r = c.invite("tel:+4687001099")
        self.assertEqual(r.status, 200, r)
        self.assertEqual(c.transact("BYE").status, 200)

    def sessions(self, s, port=None):
        return [x for x in s.report()["sessions"] if x["server_port"] == (port or s.sip_port)]

    def monitored(self, s):
        return {d["number"]: d["monitors"] for d in s.report("--devices").get("devices", [])}

    # --- SIPp: the Lync flow, as an operator runs it --------------------------------------------

    def run_sipp(self, s, scenario, *extra, transport="t1", timeout=90):
        args = [SIPP, f"127.0.0.1:{s.sip_port}", "-sf", os.path.join(SCENARIOS, scenario), "-t", transport, "-m", "1",
                "-i", "127.0.0.1", "-p", str(free_port() if transport == "t1" else free_udp_port()),
                "-recv_timeout", "10000", "-timeout", "60",
                "-timeout_error", "-nostdin", "-trace_err", "-trace_msg", *extra]
        r = subprocess.run(args, cwd=self.tmp, capture_output=True, text=True, timeout=timeout)
        logs = {}
        for name in sorted(os.listdir(self.tmp)):
            if name.startswith(scenario[:-4]) and name.endswith(("_errors.log", "_messages.log")):
                with open(os.path.join(self.tmp, name), errors="replace") as f:
                    logs[name.rsplit("_", 1)[1]] = f.read()
                os.rename(os.path.join(self.tmp, name), os.path.join(self.tmp, "done-" + name))
        shown = "".join(f"\n=== SIPp {k}\n{v[-6000:]}" for k, v in logs.items())
        self.assertEqual(r.returncode, 0, f"{' '.join(args)}\n{r.stdout[-2000:]}{r.stderr}{shown}"
                         f"\n=== cstad\n{log_of(s)[-3000:]}")
        return logs.get("messages.log", "")

    @unittest.skipUnless(SIPP, "sipp (Debian package sip-tester) is not installed")
    def test_sipp_lync_client_monitors_calls_refreshes_and_leaves(self):
        s = self.server()
        logs = self.run_sipp(s, "lync_monitor_call.xml")
        # What SIPp saw of cstad: the three events of the call and the one of its clearing,
        # each answered.
        received = re.findall(r"received \[\d+\] bytes :\s*(INFO sip:desk@[^\n]*)", logs)
        self.assertEqual(len(received), 4, logs)
        wait_for(lambda: "TR/87 dialog 1 ended: the client ended the dialog (BYE)" in s.log_text(), what="the BYE")
        wait_for(lambda: self.sessions(s) == [], what="the session to end")
        self.assertEqual(self.monitored(s), {})
        # Again, the line and the called number in other forms of the same extensions.
        self.run_sipp(s, "lync_monitor_call.xml", "-set", "line", "tel:1000;phone-context=dialstring",
                      "-set", "called", "tel:+46-8-700 1002", "-set", "expires", "90")
        wait_for(lambda: "TR/87 dialog 2 ended: the client ended the dialog (BYE)" in s.log_text(), what="the BYE")
        wait_for(lambda: self.sessions(s) == [], what="the session to end")
        self.assertEqual(self.monitored(s), {})
        # The same over UDP (the scenario repeats nothing; on loopback nothing is lost).
        self.run_sipp(s, "lync_monitor_call.xml", transport="u1")
        wait_for(lambda: "TR/87 dialog 3 ended: the client ended the dialog (BYE)" in s.log_text(), what="the BYE")
        wait_for(lambda: self.sessions(s) == [], what="the session to end")
        self.assertEqual(self.monitored(s), {})

    @unittest.skipUnless(SIPP and os.environ.get("CSTAD_SLOW_TESTS") == "1",
                         "takes 90 s: set CSTAD_SLOW_TESTS=1 (and install sipp)")
    def test_sipp_no_refresh_ends_the_dialog_and_its_monitors(self):
        s = self.server()
        sipp = subprocess.Popen(
            [SIPP, f"127.0.0.1:{s.sip_port}", "-sf", os.path.join(SCENARIOS, "expiry.xml"), "-t", "t1", "-m", "1",
             "-i", "127.0.0.1", "-p", str(free_port()), "-recv_timeout", "150000", "-timeout", "200",
             "-timeout_error", "-nostdin", "-trace_err"], cwd=self.tmp, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True)
        wait_for(lambda: self.monitored(s) == {"1000": 1}, what="the monitor")
        started = time.monotonic()
        _, err = sipp.communicate(timeout=200)
        self.assertEqual(sipp.returncode, 0, err)
        self.assertGreater(time.monotonic() - started, 80)
        self.assertIn("ended: the session timer expired without a refresh", s.log_text())
        self.assertEqual(self.sessions(s), [])
        self.assertEqual(self.monitored(s), {})

    # --- the dialog on the wire -------------------------------------------------------------------

    def test_a_dialog_from_invite_to_bye(self):
        s = self.server()
        c = self.client(s.sip_port)
        ok = c.invite()
        self.assertEqual(ok.status, 200, ok)
        self.assertEqual(ok.header("contact"), f"<sip:cstad@127.0.0.1:{s.sip_port};transport=tcp>")
        self.assertEqual(ok.header("allow"), ALLOW)
        self.assertEqual(ok.header("supported"), "timer")
        self.assertEqual(ok.header("session-expires"), "1800;refresher=uac")
        self.assertEqual(ok.header("require"), "timer")
        self.assertEqual(ok.header("content-type"), CSTA)
        self.assertEqual(root_of(ok.body), "RequestSystemStatusResponse")
        self.assertIn("<systemStatus>normal</systemStatus>", ok.body)
        self.assertEqual(ok.tag("from"), c.tag)
        self.assertTrue(c.remote_tag)
        features = c.info(f'<GetCSTAFeatures xmlns="{ED3}"/>')
        self.assertEqual((features.status, features.header("content-type")), (200, CSTA))
        self.assertEqual(root_of(features.body), "GetCSTAFeaturesResponse")
        started = c.info(monitor_start(LINE))
        self.assertEqual(root_of(started.body), "MonitorStartResponse")
        xref = re.search(r"<monitorCrossRefID>([^<]+)<", started.body).group(1)
        made = c.info(make_call(LINE, CALLED))
        self.assertEqual(root_of(made.body), "MakeCallResponse")
        self.assertEqual(device_ids(made.body), [LINE])
        call = re.search(r"<callID>([^<]+)<", made.body).group(1)
        c.wait_event("DeliveredEvent")
        # Events: INFO requests in the dialog, from cstad's tag to ours, to our Contact, CSeq
        # counting from 1; the device ids in the form this client used.
        self.assertEqual([root_of(e.body) for e in c.events],
                         ["ServiceInitiatedEvent", "OriginatedEvent", "DeliveredEvent"])
        for n, e in enumerate(c.events, 1):
            self.assertEqual(e.request_uri, c.contact)
            self.assertEqual(e.cseq(), (n, "INFO"))
            self.assertEqual((e.tag("from"), e.tag("to")), (c.remote_tag, c.tag))
            self.assertEqual(e.header("call-id"), c.call_id)
            self.assertEqual(e.header("content-type"), CSTA)
            self.assertEqual(e.header("content-disposition"), "signal;handling=required")
            self.assertIn(f"<monitorCrossRefID>{xref}</monitorCrossRefID>", e.body)
            self.assertTrue(device_ids(e.body))
            self.assertTrue(all(d in (LINE, CALLED) for d in device_ids(e.body)), e.body)
        cleared = c.info(clear_connection(call, LINE))
        self.assertEqual(root_of(cleared.body), "ClearConnectionResponse")
        self.assertEqual(c.wait_event("ConnectionClearedEvent").cseq(), (4, "INFO"))
        # The session's numbers in csta -p.
        session, = self.sessions(s)
        self.assertEqual(session["client"], f"tcp:127.0.0.1:{c.local} line {LINE}")
        self.assertEqual((session["monitors"], session["events_sent"]), (1, 4))
        # Refreshes: a re-INVITE answered as the first, an UPDATE.
        again = c.invite()
        self.assertEqual(again.status, 200, again)
        self.assertEqual(again.header("session-expires"), "1800;refresher=uac")
        self.assertIn("<systemStatus>normal</systemStatus>", again.body)
        self.assertEqual(again.tag("to"), c.remote_tag)
        update = c.transact("UPDATE", extra="Supported: timer\r\nSession-Expires: 600\r\n")
        self.assertEqual(update.status, 200, update)
        self.assertEqual((update.header("session-expires"), update.header("require")), ("600;refresher=uac", "timer"))
        stopped = c.info(f'<MonitorStop xmlns="{ED3}"><monitorCrossRefID>{xref}</monitorCrossRefID></MonitorStop>')
        self.assertEqual(root_of(stopped.body), "MonitorStopResponse")
        bye = c.transact("BYE")
        self.assertEqual(bye.status, 200, bye)
        wait_for(lambda: self.sessions(s) == [], what="the session to end")
        # The dialog is gone.
        self.assertEqual(c.info(monitor_start(LINE)).status, 481)

    def test_a_bye_releases_the_monitors_the_client_left(self):
        s = self.server()
        c = self.dialog(s)
        self.assertEqual(root_of(c.info(monitor_start(LINE)).body), "MonitorStartResponse")
        self.assertEqual(root_of(c.info(monitor_start("tel:+4687001005")).body), "MonitorStartResponse")
        self.assertEqual(self.monitored(s), {"1000": 1, "1005": 1})
        self.assertEqual(c.transact("BYE").status, 200)
        wait_for(lambda: self.monitored(s) == {}, what="the monitors to go")
        self.assertEqual(self.sessions(s), [])

    def test_device_ids_come_back_in_the_form_the_client_used(self):
        s = self.server()
        c = self.dialog(s, line="tel:1000;phone-context=dialstring")
        c.info(monitor_start("tel:1000;phone-context=dialstring"))
        made = c.info(make_call("sip:1000@cti.example.com;user=phone", "tel:1001;phone-context=dialstring"))
        self.assertEqual(device_ids(made.body), ["sip:1000@cti.example.com;user=phone"])
        delivered = c.wait_event("DeliveredEvent")
        # The monitored device in the form its monitor was started with, the called one as dialled.
        self.assertEqual(set(device_ids(delivered.body)),
                         {"tel:1000;phone-context=dialstring", "tel:1001;phone-context=dialstring"})
        call = re.search(r"<callID>([^<]+)<", made.body).group(1)
        c.info(clear_connection(call, "sip:1000@cti.example.com;user=phone"))
        c.wait_event("ConnectionClearedEvent")

    def test_csta_answers_and_errors_travel_in_the_200(self):
        s = self.server()
        c = self.dialog(s)
        for body, error in [("<notxml", "invalidParameterValue"),
                            (f'<Frobnicate xmlns="{ED3}"/>', "serviceNotSupported"),
                            (monitor_start("tel:+4699999999"), "invalidDeviceID")]:
            r = c.info(body)
            self.assertEqual((r.status, r.header("content-type")), (200, CSTA), r)
            self.assertEqual(root_of(r.body), "CSTAErrorCode", r)
            self.assertIn(error, r.body)
        # An INFO without a body has nothing for the session.
        empty = c.info("")
        self.assertEqual((empty.status, empty.body), (200, ""))

    def test_a_repeated_info_gets_the_same_answer_once(self):
        s = self.server()
        c = self.dialog(s)
        info = c.build("INFO", monitor_start(LINE))  # one CSeq, one branch
        c.send(info)
        first = c.response(c.cseq)
        c.send(info)
        second = c.response(c.cseq)
        self.assertEqual(root_of(first.body), "MonitorStartResponse")
        self.assertEqual(second.text, first.text)
        self.assertEqual(self.monitored(s), {"1000": 1})  # the session saw it once
        # An older CSeq than the last one is out of order.
        old = c.transact("INFO", monitor_start("1001"), cseq=1)
        self.assertEqual(old.status, 500, old)
        self.assertEqual(self.monitored(s), {"1000": 1})

    def test_options_in_and_out_of_a_dialog(self):
        s = self.server()
        lone = self.client(s.sip_port)
        r = lone.transact("OPTIONS")
        self.assertEqual(r.status, 200, r)
        self.assertEqual((r.header("allow"), r.header("accept")), (ALLOW, CSTA))
        self.assertTrue(r.tag("to"))
        self.assertEqual(self.sessions(s), [])  # no dialog from an OPTIONS
        c = self.dialog(s)
        r = c.transact("OPTIONS")
        self.assertEqual((r.status, r.header("allow"), r.header("accept")), (200, ALLOW, CSTA))
        self.assertEqual(r.tag("to"), c.remote_tag)

    def test_a_new_invite_for_the_line_replaces_the_old_dialog(self):
        s = self.server()
        first = self.dialog(s)
        self.assertEqual(root_of(first.info(monitor_start(LINE)).body), "MonitorStartResponse")
        second = self.dialog(s)
        bye = first.wait_request("BYE")
        self.assertEqual(bye.request_uri, first.contact)
        self.assertEqual((bye.tag("from"), bye.tag("to")), (first.remote_tag, first.tag))
        self.assertEqual(bye.header("call-id"), first.call_id)
        self.assertEqual(bye.cseq(), (1, "BYE"))
        wait_for(lambda: "replaced by a new dialog for line tel:+4687001000" in s.log_text(), what="the replacement")
        self.assertEqual(first.info(monitor_start(LINE)).status, 481)
        wait_for(lambda: len(self.sessions(s)) == 1, what="one session")
        self.assertEqual(self.monitored(s), {})  # the old dialog's monitor went with it
        self.assertEqual(root_of(second.info(monitor_start(LINE)).body), "MonitorStartResponse")
        # Another line does not replace anything.
        other = self.dialog(s, line="tel:+4687001002")
        self.assertEqual(other.info(monitor_start("tel:+4687001002")).status, 200)
        wait_for(lambda: len(self.sessions(s)) == 2, what="two sessions")

    def test_session_intervals_below_min_se_are_refused(self):
        s = self.server()
        lone = self.client(s.sip_port)
        r = lone.invite(expires=60)
        self.assertEqual((r.status, r.header("min-se")), (422, "90"), r)
        self.assertEqual(self.sessions(s), [])
        c = self.dialog(s, expires=90)
        r = c.transact("UPDATE", extra="Session-Expires: 30\r\n")
        self.assertEqual((r.status, r.header("min-se")), (422, "90"), r)
        r = c.invite(expires=45)
        self.assertEqual((r.status, r.header("min-se")), (422, "90"), r)
        # The dialog goes on with its interval.
        self.assertEqual(root_of(c.info(monitor_start(LINE)).body), "MonitorStartResponse")
        r = c.transact("UPDATE")
        self.assertEqual(r.header("session-expires"), "90;refresher=uac")
        # Without timer support, no timer.
        plain = self.client(s.sip_port)
        r = plain.transact("INVITE", request_system_status("tel:+4687001003"))
        self.assertEqual((r.status, r.header("session-expires"), r.header("require")), (200, None, None), r)

    def test_cancel_of_a_pending_invite(self):
        s = self.server()
        c = self.client(s.sip_port)
        invite = c.build("INVITE", request_system_status(), extra="Supported: timer\r\n")
        branch = re.search(rb"branch=([^\r]+)", invite).group(1).decode()
        cancel = (f"CANCEL sip:cstad@127.0.0.1:{s.sip_port};transport=tcp SIP/2.0\r\n"
                  f"Via: SIP/2.0/TCP 127.0.0.1:{c.local};branch={branch}\r\nMax-Forwards: 70\r\n"
                  f"From: <sip:desk@example.com>;tag={c.tag}\r\nTo: <sip:cstad@127.0.0.1:{s.sip_port}>\r\n"
                  f"Call-ID: {c.call_id}\r\nCSeq: 1 CANCEL\r\nContent-Length: 0\r\n\r\n").encode()
        c.send(invite + cancel)  # together: the session has not answered the INVITE yet
        answers = sorted((m.status, m.cseq()[1]) for m in (c.next(), c.next()))
        self.assertEqual(answers, [(200, "CANCEL"), (487, "INVITE")])
        wait_for(lambda: "ended: the client cancelled its INVITE" in s.log_text(), what="the cancel")
        self.assertEqual(self.sessions(s), [])
        self.assert_serving(s)

    # --- what a well-behaved client never sends ---------------------------------------------------

    def test_bad_input_gets_its_status_and_the_server_keeps_serving(self):
        s = self.server()
        port = s.sip_port

        def lone():
            return SipClient(port)

        def message(method, **kw):
            c = lone()
            try:
                c.send(c.build(method, **kw))
                return c.next(), c
            finally:
                c.close()

        # Not SIP (but framed): 400 with the routing headers it has, and the connection stays.
        out, closed = raw_exchange(port, b"HELLO WORLD\r\nVia: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKbad1\r\n"
                                         b"Call-ID: bad-1\r\nCSeq: 7 INFO\r\nContent-Length: 0\r\n\r\n")
        self.assertTrue(out.startswith("SIP/2.0 400 "), out)
        for line in ("Via: SIP/2.0/TCP 127.0.0.1:9;branch=z9hG4bKbad1", "Call-ID: bad-1", "CSeq: 7 INFO"):
            self.assertIn(line + "\r\n", out)
        self.assertFalse(closed)
        # A request without From: 400 with what it has.
        out, closed = raw_exchange(port, b"INFO sip:cstad@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:9;"
                                         b"branch=z9hG4bKbad2\r\nTo: <sip:cstad@127.0.0.1>\r\nCall-ID: bad-2\r\n"
                                         b"CSeq: 8 INFO\r\nContent-Length: 0\r\n\r\n")
        self.assertTrue(out.startswith("SIP/2.0 400 "), out)
        self.assertIn("Call-ID: bad-2\r\n", out)
        self.assertIn("To: <sip:cstad@127.0.0.1>\r\n", out)
        # A stream that cannot be cut into messages: the answer, then the close.
        b = SipClient(port, connect=False)
        for data, status in [(b.build("OPTIONS").replace(b"Content-Length: 0\r\n", b""), 400),
                             (b"HELLO\r\n\r\n", 400),
                             (b.build("INFO", "x" * (64 * 1024 + 1)), 413),
                             (b.build("OPTIONS", extra="X-Pad: " + "y" * (16 * 1024) + "\r\n"), 413)]:
            out, closed = raw_exchange(port, data)
            self.assertTrue(out.startswith(f"SIP/2.0 {status} "), (status, out))
            self.assertTrue(closed, (status, out))
        # Requests of no dialog.
        for method in ("INFO", "BYE", "UPDATE"):
            r, _ = message(method, body=monitor_start(LINE) if method == "INFO" else "", to_tag="nosuchtag")
            self.assertEqual(r.status, 481, r)
        # Methods TR/87 does not use, and unknown ones.
        for method in ("REGISTER", "SUBSCRIBE", "NOTIFY", "MESSAGE", "REFER", "PUBLISH", "PRACK"):
            r, c = message(method)
            self.assertEqual((r.status, r.header("allow")), (405, ALLOW), r)
            self.assertEqual((r.header("call-id"), r.cseq()), (c.call_id, (1, method)))
        r, _ = message("FROB")
        self.assertEqual(r.status, 501, r)
        # Not CSTA: 415 with what we take, out of a dialog and in one (which goes on).
        r, _ = message("INVITE", body="v=0\r\n", content_type="application/sdp")
        self.assertEqual((r.status, r.header("accept")), (415, CSTA), r)
        c = self.dialog(s)
        r = c.info("hello", content_type="text/plain")
        self.assertEqual((r.status, r.header("accept")), (415, CSTA), r)
        self.assertEqual(root_of(c.info(monitor_start(LINE)).body), "MonitorStartResponse")
        self.assertEqual(len(self.sessions(s)), 1)  # none of the bad ones made a dialog
        self.assert_serving(s)

    def test_mangled_messages_do_not_stop_the_server(self):
        s = self.server()
        rnd = random.Random(87)
        c = self.client(s.sip_port)
        base = c.build("INVITE", request_system_status(), extra="Supported: timer\r\nSession-Expires: 1800\r\n")
        pieces = [b"\x00", b"\xff", b":", b";", b"<", b">", b"\r\n", b" ", b";tag=", b'"', b"%", b"-1",
                  b"99999999999999999999", b"\r\n\r\n", b"Content-Length: 5\r\n", b"l: 9\r\n",
                  b"CSeq: 4294967296 INFO\r\n", b"Session-Expires: 99999999999999999999\r\n"]
        for _ in range(150):
            m = bytearray(base)
            for _ in range(rnd.randint(1, 6)):
                at = rnd.randrange(len(m))
                op = rnd.random()
                if op < 0.3:
                    del m[at:at + rnd.randint(1, 20)]
                elif op < 0.6:
                    m[at:at] = rnd.choice(pieces)
                else:
                    m[at] = rnd.randrange(256)
            with socket.create_connection(("127.0.0.1", s.sip_port), timeout=5) as sock:
                sock.sendall(bytes(m))
                sock.settimeout(0.2)  # an answer, a close, or (a message still incomplete) nothing
                try:
                    sock.recv(65536)
                except (socket.timeout, ConnectionResetError):
                    pass
            if s.proc.poll() is not None:
                self.fail("cstad ended:\n" + log_of(s)[-3000:])
        self.assert_serving(s)

    # --- operating it -----------------------------------------------------------------------------

    def test_csta_i_adds_a_tr87_server_to_a_running_cstad(self):
        s = admin_test.Server(os.path.join(self.tmp, "plain"))
        self.servers.append(s)
        port = free_port()
        out = s.ok("csta", "-i", "--type=tr87", f"--port={port}")
        self.assertIn(f"CSTA server tr87 initiated on LIM 1, 127.0.0.1:{port}", out)
        servers = {x["port"]: x for x in s.report()["servers"]}
        self.assertEqual((servers[port]["type"], servers[port]["state"], servers[port]["tls"]),
                         ("tr87", "running", False))
        c = self.client(port)
        self.assertEqual(c.invite().status, 200)
        self.assertEqual(root_of(c.info(monitor_start(LINE)).body), "MonitorStartResponse")
        session, = [x for x in s.report()["sessions"] if x["server_port"] == port]
        self.assertEqual(session["client"], f"tcp:127.0.0.1:{c.local} line {LINE}")
        self.assertEqual(session["monitors"], 1)
        text = s.ok("csta", "-p")
        self.assertRegex(text, rf"tr87\s+127\.0\.0\.1\s+{port}\s+no\s+optional\s+-\s+running\s+1")
        self.assertIn(f"line {LINE}", text)
        # It is kept: after a restart it is there again.
        s.stop()
        self.assertTrue(c.closed())
        s.start()
        servers = {x["port"]: x for x in s.report()["servers"]}
        self.assertEqual((servers[port]["type"], servers[port]["state"]), ("tr87", "running"))
        again = self.client(port)
        self.assertEqual(again.invite().status, 200)
        # csta -e ends its dialogs with a BYE, then the connections.
        self.assertIn(f"CSTA server on port {port} removed", s.ok("csta", "-e", f"--port={port}"))
        bye = again.wait_request("BYE")
        self.assertEqual(bye.tag("to"), again.tag)
        self.assertTrue(again.closed())
        self.assertNotIn(port, [x["port"] for x in s.report()["servers"]])

    def test_a_shutdown_says_bye_to_every_dialog(self):
        s = self.server()
        c = self.dialog(s)
        c.info(monitor_start(LINE))
        s.stop()
        bye = c.wait_request("BYE")
        self.assertEqual((bye.tag("from"), bye.tag("to"), bye.header("call-id")), (c.remote_tag, c.tag, c.call_id))
        self.assertTrue(c.closed())
        # The node ending the sessions and the listener ending its dialogs race; either says BYE.
        self.assertRegex(s.log_text(), r"TR/87 dialog 1 ended: the CSTA server is (shutting down|stopping)")

    def test_a_closed_connection_ends_its_dialogs(self):
        s = self.server()
        c = self.dialog(s)
        c.info(monitor_start(LINE))
        other = self.dialog(s, line="tel:+4687001002")
        other.info(monitor_start("tel:+4687001002"))
        self.assertEqual(self.monitored(s), {"1000": 1, "1002": 1})
        c.close()
        self.clients.remove(c)
        wait_for(lambda: self.monitored(s) == {"1002": 1}, what="the closed client's monitor to go")
        wait_for(lambda: "ended: the client's connection closed" in s.log_text(), what="the log line")
        self.assertEqual(other.info(monitor_start(LINE)).status, 200)

    def test_what_a_client_names_its_line_is_shown_not_obeyed(self):
        s = self.server()
        c = self.dialog(s, line="tel:+4687001000\ncstad ready: forged\x1b[31m")
        wait_for(lambda: "TR/87 dialog 1 for line" in log_of(s), what="the dialog")
        text = s.ok("csta", "-p")
        self.assertNotIn("\x1b", text)
        self.assertNotIn("\ncstad ready: forged", text)
        self.assertNotIn("\ncstad ready: forged", log_of(s))
        self.assertEqual(c.transact("BYE").status, 200)

    def test_a_server_on_all_addresses_names_a_reachable_one(self):
        # On --host=0.0.0.0, Contact (where the client sends its in-dialog requests) and Via
        # must name an address of this host the client can reach, not 0.0.0.0.
        s = admin_test.Server(os.path.join(self.tmp, "any"))
        self.servers.append(s)
        port = free_port()
        s.ok("csta", "-i", "--type=tr87", f"--port={port}", "--host=0.0.0.0")
        c = self.client(port)
        ok = c.invite()
        self.assertEqual(ok.status, 200)
        self.assertNotIn("0.0.0.0", ok.header("contact"))


    # --- the wire trace (csta -t, cstad --trace) ----------------------------------------------

    def peer(self, c):
        return f"127.0.0.1:{c.local}"

    def test_csta_t_on_a_client_traces_its_sip_messages_whole_with_credentials_masked(self):
        s = self.server()
        c = self.client(s.sip_port)
        other = self.client(s.sip_port)
        invite, ok = sent_and_answered(c, "INVITE", request_system_status(), extra="Supported: timer\r\n" + AUTHORIZATION)
        self.assertEqual(ok.status, 200, ok)
        self.assertEqual(trace_entries(s), "")  # not traced before csta -t
        self.assertIn(f"wire trace: clients from {self.peer(c)} (1 session traced now)",
                      s.ok("csta", "-t", "on", f"--client={self.peer(c)}"))
        info, started = sent_and_answered(c, "INFO", monitor_start(LINE), extra=AUTHORIZATION)
        self.assertEqual(root_of(started.body), "MonitorStartResponse")
        self.assertEqual(other.invite("tel:+4687001002").status, 200)  # another client: not traced
        text = trace_entries(s)
        self.assertIn(entry(self.peer(c), "->", info) + entry(self.peer(c), "<-", started.text), text)
        # The lines a user reads, the XML of the CSTA request whole in its INFO.
        self.assertIn(f"{self.peer(c)} -> sip-tcp - INFO sip:cstad@127.0.0.1:{s.sip_port};transport=tcp SIP/2.0\n"
                      f"  Via: SIP/2.0/TCP {self.peer(c)};branch=", text)
        self.assertIn(f"\n  {MASKED}\n", text)
        self.assertIn(f"\n  {monitor_start(LINE)}\n{self.peer(c)} <- sip-tcp - SIP/2.0 200 OK\n", text)
        self.assertNotIn("9a0b7c1d", text)
        self.assertNotIn(" - INVITE ", text)  # before csta -t
        self.assertNotIn(self.peer(other), text)
        # Everyone, over UDP too (cstad --trace=all is the same selection).
        self.assertIn("wire trace: all clients (2 sessions traced now)", s.ok("csta", "-t", "on"))
        udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        udp.bind(("127.0.0.1", 0))
        udp.settimeout(10)
        options = (f"OPTIONS sip:cstad@127.0.0.1:{s.sip_port} SIP/2.0\r\n"
                   f"Via: SIP/2.0/UDP 127.0.0.1:{udp.getsockname()[1]};branch=z9hG4bKudp1\r\n"
                   "From: <sip:desk@example.com>;tag=u1\r\nTo: <sip:cstad@127.0.0.1>\r\n"
                   "Call-ID: udp-trace@127.0.0.1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n")
        udp_peer = f"127.0.0.1:{udp.getsockname()[1]}"
        udp.sendto(options.encode(), ("127.0.0.1", s.sip_port))
        answer = udp.recvfrom(65536)[0].decode()
        udp.close()
        self.assertTrue(answer.startswith("SIP/2.0 200 OK"), answer)
        text = trace_entries(s)
        self.assertIn(entry(udp_peer, "->", options, "sip-udp") + entry(udp_peer, "<-", answer, "sip-udp"), text)
        self.assertIn("wire trace: off", s.ok("csta", "-t", "off"))
        c.info(monitor_start("tel:+4687001003"))
        self.assertNotIn("4687001003", trace_entries(s))

    def test_csta_t_on_a_session_traces_that_dialog_by_the_id_csta_p_shows(self):
        s = self.server()
        c, other = self.dialog(s), self.dialog(s, line="tel:+4687001002")
        # A TR/87 session's id is its dialog's: our tag in it (To of the client's requests).
        ids = {x["client"].split(" line ")[1]: x["session_id"] for x in self.sessions(s)}
        self.assertEqual(ids, {LINE: c.remote_tag, "tel:+4687001002": other.remote_tag})
        self.assertIn(c.remote_tag, s.ok("csta", "-p"))
        self.assertIn(f"wire trace: session {c.remote_tag} (1 session traced now)",
                      s.ok("csta", "-t", "on", f"--session={c.remote_tag}"))
        info, started = sent_and_answered(c, "INFO", monitor_start(LINE), extra=AUTHORIZATION)
        refresh, refreshed = sent_and_answered(c, "INVITE", request_system_status(),
                                               extra="Supported: timer\r\nSession-Expires: 1800\r\n")
        self.assertEqual(refreshed.status, 200)
        other.info(monitor_start("tel:+4687001002"))
        text = trace_entries(s)
        self.assertIn(entry(self.peer(c), "->", info) + entry(self.peer(c), "<-", started.text), text)
        self.assertIn(entry(self.peer(c), "->", refresh) + entry(self.peer(c), "<-", refreshed.text), text)
        self.assertNotIn(self.peer(other), text)
        self.assertNotIn("9a0b7c1d", text)
        # Its BYE, and cstad's 200 to it.
        bye, done = sent_and_answered(c, "BYE")
        self.assertIn(entry(self.peer(c), "->", bye) + entry(self.peer(c), "<-", done.text), trace_entries(s))

    def test_cstad_trace_on_a_device_traces_the_dialog_of_its_line_from_the_invite(self):
        s = self.server(extra=["--trace=device:1000"])
        c, other = self.client(s.sip_port), self.client(s.sip_port)
        invite, ok = sent_and_answered(c, "INVITE", request_system_status(),
                                       extra="Supported: timer\r\n" + AUTHORIZATION)
        self.assertEqual(ok.status, 200, ok)
        self.assertEqual(other.invite("tel:+4687001002").status, 200)
        info, started = sent_and_answered(c, "INFO", monitor_start(LINE))
        other.info(monitor_start("tel:+4687001002"))
        text = trace_entries(s)
        self.assertIn(entry(self.peer(c), "->", invite) + entry(self.peer(c), "<-", ok.text), text)
        self.assertIn(entry(self.peer(c), "->", info) + entry(self.peer(c), "<-", started.text), text)
        self.assertIn("<systemStatus>normal</systemStatus>", text)
        self.assertNotIn(self.peer(other), text)
        self.assertNotIn("9a0b7c1d", text)
        # A dialog that names the device in a request is traced from that request on.
        self.assertIn("wire trace: the sessions of device 1005 (0 sessions traced now)",
                      s.ok("csta", "-t", "on", "--device=1005"))
        other.info(monitor_start("tel:+4687001004"))
        made, answered = sent_and_answered(other, "INFO", make_call("tel:+4687001005", CALLED))
        text = trace_entries(s)
        self.assertNotIn("4687001004", text)
        self.assertIn(entry(self.peer(other), "->", made) + entry(self.peer(other), "<-", answered.text), text)

if __name__ == "__main__":
    admin_test.BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
