#!/usr/bin/env python3
"""CSTA XML over TLS end to end, with real processes: mxone_certificate, csta -i --tls=yes and
cstad --tls-port; Python's ssl module as a client that verifies the server; openssl for the
refusals and for a CA of client certificates. Usage: tls_test.py BIN_DIR [unittest options]."""

import json
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import admin_test  # noqa: E402  (the server, client and message helpers)
from admin_test import ED3, Client, free_port, monitor_start, root_of, wait_for  # noqa: E402
from observability_test import parse_prometheus  # noqa: E402


class TlsClient(Client):
    """The same J.2 client over TLS; it verifies the server against cafile."""

    def __init__(self, port, cafile, hostname="localhost", cert=None, key=None):
        ctx = ssl.create_default_context(cafile=cafile)
        if cert:
            ctx.load_cert_chain(cert, key)
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock = ctx.wrap_socket(raw, server_hostname=hostname)
        self.buf = b""
        self.invoke = 0


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(directory, name):
    """A CA and a client certificate it signed (ECDSA P-256), with the openssl command."""
    openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
            "-keyout", f"{name}-ca.key", "-out", f"{name}-ca.pem", "-days", "30", "-subj", f"/CN={name} CA",
            cwd=directory)
    openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
            f"{name}-client.key", "-out", f"{name}-client.csr", "-subj", f"/CN={name}-desk", cwd=directory)
    openssl("x509", "-req", "-in", f"{name}-client.csr", "-CA", f"{name}-ca.pem", "-CAkey", f"{name}-ca.key",
            "-CAcreateserial", "-out", f"{name}-client.pem", "-days", "30", cwd=directory)
    return tuple(os.path.join(directory, f"{name}-{x}") for x in ("ca.pem", "client.pem", "client.key"))


def call_id_of(xml):
    return re.search(r"<callID>([^<]+)</callID>", xml).group(1)


def connection(tag, call, device):
    return f"<{tag}><callID>{call}</callID><deviceID>{device}</deviceID></{tag}>"


class TlsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cstad-tls-")
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def server(self, name="data", **kw):
        s = admin_test.Server(os.path.join(self.tmp, name), **kw)
        self.servers.append(s)
        return s

    def certified_server(self, cn="localhost"):
        """A server with a self-signed certificate installed and a TLS server initiated; its
        metrics on a port of its own (s.metrics() reads them)."""
        s = self.server(extra=["--metrics=127.0.0.1:0"])
        wait_for(lambda: "metrics and status page on http://" in s.log_text(), what="the HTTP side")
        url = re.search(r"metrics and status page on (http://[0-9.]+:\d+/)", s.log_text()).group(1)

        def metrics():
            with urllib.request.urlopen(url + "metrics", timeout=10) as r:
                return parse_prometheus(r.read().decode())

        s.metrics = metrics
        out = s.ok("mxone_certificate", "--create-self-signed", f"--cn={cn}", "--san=DNS:localhost,IP:127.0.0.1")
        self.assertIn(cn, out)
        s.tls_port = free_port()
        s.ok("csta", "-i", "--type=xml", "--tls=yes", f"--port={s.tls_port}")
        s.cafile = os.path.join(s.data_dir, "tls", "server.crt")
        return s

    def test_a_verifying_client_runs_a_call_over_tls_without_a_restart(self):
        s = self.certified_server()
        servers = {x["port"]: x for x in s.report()["servers"]}
        self.assertEqual((servers[s.tls_port]["tls"], servers[s.tls_port]["state"]), (True, "running"))
        c = TlsClient(s.tls_port, s.cafile)
        self.assertEqual(c.sock.version(), "TLSv1.3")
        a = c.request(monitor_start("1000"))
        b = c.request(monitor_start("1001"))
        self.assertEqual((root_of(a), root_of(b)), ("MonitorStartResponse", "MonitorStartResponse"))
        made = c.request(f'<MakeCall xmlns="{ED3}"><callingDevice>1000</callingDevice>'
                         "<calledDirectoryNumber>1001</calledDirectoryNumber></MakeCall>")
        self.assertEqual(root_of(made), "MakeCallResponse")
        call = call_id_of(made)
        events = []

        def wait_events(*names):
            while not all(n in [root_of(x) for x in events] for n in names):
                frame = c.next()
                self.assertIsNotNone(frame, "the server closed the connection")
                if frame[0] == 9999:
                    events.append(frame[1])

        wait_events("OriginatedEvent", "DeliveredEvent")
        answered = c.request(f'<AnswerCall xmlns="{ED3}">{connection("callToBeAnswered", call, "1001")}</AnswerCall>')
        self.assertEqual(root_of(answered), "AnswerCallResponse")
        wait_events("EstablishedEvent")
        cleared = c.request(f'<ClearConnection xmlns="{ED3}">'
                            f'{connection("connectionToBeCleared", call, "1000")}</ClearConnection>')
        self.assertEqual(root_of(cleared), "ClearConnectionResponse")
        wait_events("ConnectionClearedEvent")
        self.assertIn("TLS established: TLSv1.3", s.log_text())
        # csta -p shows the TLS server's session.
        sessions = s.report()["sessions"]
        self.assertEqual([x["server_port"] for x in sessions], [s.tls_port])

    def test_wrong_clients_fail_cleanly_and_the_server_keeps_serving(self):
        s = self.certified_server()
        # TLS 1.1 is refused.
        # (SECLEVEL=0: else the openssl client itself refuses to try TLS 1.1.)
        r = subprocess.run(["openssl", "s_client", "-connect", f"127.0.0.1:{s.tls_port}", "-tls1_1",
                            "-cipher", "DEFAULT:@SECLEVEL=0"], input="", capture_output=True, text=True, timeout=20)
        self.assertNotIn("Cipher is ECDHE", r.stdout)
        self.assertNotEqual(r.returncode, 0)
        # A plaintext CSTA client on the TLS port: its connection closes.
        plain = Client(s.tls_port)
        plain.send(monitor_start("1000"))
        self.assertEqual(plain.closed(), [])
        # A TLS client on the plain port fails its handshake.
        with self.assertRaises((ssl.SSLError, ConnectionError)):
            TlsClient(s.port, s.cafile)
        wait_for(lambda: "TLS handshake failed: unsupported protocol" in s.log_text(), what="the TLS 1.1 refusal")
        wait_for(lambda: "TLS handshake failed: wrong version number" in s.log_text(), what="the plaintext refusal")
        wait_for(lambda: "a TLS handshake on a port without TLS" in s.log_text(), what="the TLS-on-plain refusal")
        # Everything else still works.
        c = TlsClient(s.tls_port, s.cafile)
        self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")
        p = Client(s.port)
        self.assertEqual(root_of(p.request(monitor_start("1000"))), "MonitorStartResponse")

    def test_handshakes_are_counted_by_result(self):
        s = self.certified_server()

        def handshakes(port):
            m = s.metrics()
            return {r: m[("cstad_tls_handshakes_total", (("result", r), ("server", str(port))))]
                    for r in ("ok", "failed", "timeout")}

        self.assertEqual(handshakes(s.tls_port), {"ok": 0, "failed": 0, "timeout": 0})
        self.assertNotIn(("cstad_tls_handshakes_total", (("result", "ok"), ("server", str(s.port)))), s.metrics())
        c = TlsClient(s.tls_port, s.cafile)
        self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")
        self.assertEqual(handshakes(s.tls_port), {"ok": 1, "failed": 0, "timeout": 0})
        # Plain CSTA bytes on the TLS port.
        plain = Client(s.tls_port)
        plain.send(monitor_start("1000"))
        self.assertEqual(plain.closed(), [])
        wait_for(lambda: handshakes(s.tls_port)["failed"] == 1, what="the plaintext client counted")
        # A client that leaves in the middle: the start of a TLS record, then the close.
        half = socket.create_connection(("127.0.0.1", s.tls_port), timeout=10)
        half.sendall(b"\x16\x03\x01\x00\xc8\x01")
        time.sleep(0.2)
        half.close()
        wait_for(lambda: handshakes(s.tls_port)["failed"] == 2, what="the client that left counted")
        self.assertEqual(handshakes(s.tls_port), {"ok": 1, "failed": 2, "timeout": 0})

    def test_client_certificates_from_the_installed_ca_only(self):
        s = self.certified_server()
        ca, good_cert, good_key = make_ca(self.tmp, "ours")
        _, bad_cert, bad_key = make_ca(self.tmp, "theirs")
        s.ok("mxone_certificate", f"--ca={ca}")

        def refused(**kw):
            try:
                c = TlsClient(s.tls_port, s.cafile, **kw)
                # TLS 1.3: the server judges the client's certificate after the client's
                # handshake is done; the refusal arrives as an alert on the next read.
                c.send(monitor_start("1000"))
                return c.next() is None
            except (ssl.SSLError, ConnectionError):
                return True

        self.assertTrue(refused())
        self.assertTrue(refused(cert=bad_cert, key=bad_key))
        c = TlsClient(s.tls_port, s.cafile, cert=good_cert, key=good_key)
        self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")
        wait_for(lambda: "peer did not return a certificate" in s.log_text(), what="no certificate logged")
        self.assertIn("unable to get local issuer certificate", s.log_text())
        self.assertIn("client certificate /CN=ours-desk", s.log_text())
        # Without a CA, no client certificate is asked for again.
        s.ok("mxone_certificate", "--ca=none")
        c = TlsClient(s.tls_port, s.cafile)
        self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")

    def test_a_replaced_certificate_is_seen_by_new_connections_only(self):
        s = self.certified_server(cn="localhost")
        old = TlsClient(s.tls_port, s.cafile)
        first = old.sock.getpeercert(binary_form=True)
        s.ok("mxone_certificate", "--create-self-signed", "--cn=localhost", "--san=DNS:localhost", "--days=10")
        new = TlsClient(s.tls_port, s.cafile)
        self.assertNotEqual(new.sock.getpeercert(binary_form=True), first)
        with open(s.cafile) as f:
            self.assertEqual(new.sock.getpeercert(binary_form=True), ssl.PEM_cert_to_DER_cert(f.read()))
        self.assertEqual(root_of(new.request(monitor_start("1000"))), "MonitorStartResponse")
        # The connection that began with the old certificate goes on.
        self.assertEqual(root_of(old.request(monitor_start("1001"))), "MonitorStartResponse")

    def test_cstad_tls_options_serve_and_are_kept(self):
        openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                "k.pem", "-out", "c.pem", "-days", "30", "-subj", "/CN=localhost", "-addext",
                "subjectAltName=DNS:localhost", cwd=self.tmp)
        tls_port = free_port()
        s = self.server(extra=(f"--tls-port={tls_port}", f"--tls-cert={self.tmp}/c.pem", f"--tls-key={self.tmp}/k.pem"))
        wait_for(lambda: f"xml/tls listening on 127.0.0.1:{tls_port}" in s.log_text(), what="the TLS listener")
        c = TlsClient(tls_port, f"{self.tmp}/c.pem")
        self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")
        s.stop()
        s.start(extra=())  # without the options: the configuration kept them
        wait_for(lambda: s.log_text().count(f"xml/tls listening on 127.0.0.1:{tls_port}") == 2, what="TLS again")
        c = TlsClient(tls_port, f"{self.tmp}/c.pem")
        self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")
        # A TLS server without a usable certificate: named, and cstad does not start with it.
        s.stop()
        r = subprocess.run([os.path.join(admin_test.BIN, "cstad"), f"--data-dir={s.data_dir}",
                            f"--tls-port={tls_port}", f"--tls-cert={self.tmp}/c.pem", f"--tls-key={self.tmp}/nokey.pem"],
                           capture_output=True, text=True, timeout=30)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("the TLS certificate cannot be used", r.stderr)
        self.servers.remove(s)

    def test_backup_and_restore_carry_the_certificate(self):
        a = self.certified_server()
        backup = os.path.join(self.tmp, "backup.json")
        a.ok("data_backup", backup)
        self.assertEqual(os.stat(backup).st_mode & 0o777, 0o600)  # it holds the private key
        with open(backup) as f:
            self.assertIn("PRIVATE KEY", json.load(f)["tls"]["key"])
        a.stop()
        self.servers.remove(a)
        b = self.server("b")
        self.assertIn("restored", b.ok("data_restore", backup))
        wait_for(lambda: any(x["port"] == a.tls_port and x["state"] == "running" for x in b.report()["servers"]),
                 what="the TLS server on b")
        with open(a.cafile, "rb") as f, open(os.path.join(b.data_dir, "tls", "server.crt"), "rb") as g:
            self.assertEqual(f.read(), g.read())
        self.assertEqual(os.stat(os.path.join(b.data_dir, "tls", "server.key")).st_mode & 0o777, 0o600)
        c = TlsClient(a.tls_port, a.cafile)
        self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")

    def test_tr87_over_tls(self):
        s = self.certified_server()
        sip_port = free_port()
        s.ok("csta", "-i", "--type=tr87", "--tls=yes", f"--port={sip_port}")
        ctx = ssl.create_default_context(cafile=s.cafile)
        c = ctx.wrap_socket(socket.create_connection(("127.0.0.1", sip_port), timeout=10), server_hostname="localhost")
        buf = b""

        def send(method, cseq, body="", to_tag=""):
            to = "<sip:cstad@localhost>" + (f";tag={to_tag}" if to_tag else "")
            head = (f"{method} sip:cstad@localhost:{sip_port};transport=tls SIP/2.0\r\n"
                    f"Via: SIP/2.0/TLS 127.0.0.1:5061;branch=z9hG4bK{method}{cseq}\r\n"
                    f"From: <sip:desk@example.com>;tag=d1\r\nTo: {to}\r\nCall-ID: tls-1\r\n"
                    f"CSeq: {cseq} {method}\r\nContact: <sip:desk@127.0.0.1:5061;transport=tls>\r\n")
            if body:
                head += "Content-Type: application/csta+xml\r\n"
            c.sendall((head + f"Content-Length: {len(body.encode())}\r\n\r\n").encode() + body.encode())

        def read():
            nonlocal buf
            while True:
                end = buf.find(b"\r\n\r\n")
                if end >= 0:
                    n = int(re.search(rb"(?i)content-length:\s*(\d+)", buf[:end]).group(1))
                    if len(buf) >= end + 4 + n:
                        out, buf = buf[:end + 4 + n], buf[end + 4 + n:]
                        return out.decode()
                buf += c.recv(65536)

        send("INVITE", 1, f'<RequestSystemStatus xmlns="{ED3}"/>')
        ok = read()
        self.assertTrue(ok.startswith("SIP/2.0 200 OK"), ok)
        self.assertIn("<systemStatus>normal</systemStatus>", ok)
        self.assertIn(f"Contact: <sip:cstad@127.0.0.1:{sip_port};transport=tls>", ok)
        tag = re.search(r"(?im)^To:.*;tag=([^;\s]+)", ok).group(1)
        send("ACK", 1, to_tag=tag)
        send("INFO", 2, monitor_start("tel:+4687001000"), to_tag=tag)
        answer = read()
        self.assertTrue(answer.startswith("SIP/2.0 200 OK"), answer)
        self.assertIn("MonitorStartResponse", answer)
        send("BYE", 3, to_tag=tag)
        self.assertTrue(read().startswith("SIP/2.0 200 OK"))
        wait_for(lambda: "TR/87 dialog 1 ended: the client ended the dialog (BYE)" in s.log_text(), what="the end")
        # The SIP server's handshakes are counted too (once its connection has ended).
        c.close()
        ok = ("cstad_tls_handshakes_total", (("result", "ok"), ("server", str(sip_port))))
        wait_for(lambda: s.metrics()[ok] == 1, what="the SIP handshake counted")

    def test_a_handshake_left_hanging_is_dropped(self):
        s = self.certified_server()
        idle = socket.create_connection(("127.0.0.1", s.tls_port), timeout=20)
        started = time.monotonic()
        self.assertEqual(idle.recv(100), b"")  # closed by the server
        self.assertLess(time.monotonic() - started, 15)
        self.assertIn("TLS handshake not finished within 10 s, dropped", s.log_text())
        c = TlsClient(s.tls_port, s.cafile)
        self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")
        m = s.metrics()
        self.assertEqual([m[("cstad_tls_handshakes_total", (("result", r), ("server", str(s.tls_port))))]
                          for r in ("timeout", "failed", "ok")], [1, 0, 1])


if __name__ == "__main__":
    admin_test.BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
