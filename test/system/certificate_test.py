#!/usr/bin/env python3
"""mxone_certificate end to end, as an operator runs it: on a fresh data directory, without a
running server, checked against the openssl command where it is installed (those assertions are
skipped without it), a pseudo-terminal for the questions. Usage: certificate_test.py BIN_DIR
[unittest options]."""

import json
import os
import pty
import re
import select
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

BIN = None  # set from argv
OPENSSL = shutil.which("openssl")
needs_openssl = unittest.skipIf(OPENSSL is None, "no openssl command")


def openssl(*args):
    return subprocess.run([OPENSSL, *args], capture_output=True, text=True, timeout=60)


def mode_of(path):
    return os.stat(path).st_mode & 0o777


def read(path):
    with open(path, "rb") as f:
        return f.read()


class CertificateTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cstad-certificate-")
        self.data = os.path.join(self.tmp, "data")
        self.tls = os.path.join(self.data, "tls")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def path(self, name):
        return os.path.join(self.tmp, name)

    def tool(self, *args, data_dir=None):
        return subprocess.run([os.path.join(BIN, "mxone_certificate"), f"--data-dir={data_dir or self.data}", *args],
                              stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)

    def ok(self, *args, data_dir=None):
        r = self.tool(*args, data_dir=data_dir)
        if r.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed ({r.returncode}): {r.stdout}{r.stderr}")
        return r.stdout

    def installed(self):
        return {name: read(os.path.join(self.tls, name)) for name in ("server.crt", "server.key")}

    def printed(self):
        return json.loads(self.ok("--print", "--json"))

    def test_self_signed_is_installed_privately_and_printed(self):
        self.assertIn("no certificate is installed (mxone_certificate --create-self-signed --cn=NAME makes one)",
                      self.ok("--print"))
        self.assertEqual(self.printed(), {"certificate": None, "client_ca": None})

        out = self.ok("--create-self-signed", "--cn=cstad.test", "--san=DNS:cstad.test, IP:127.0.0.1",
                      "--san=IP:::1", "--days=90")
        self.assertRegex(out, r"installed: CN=cstad\.test, valid until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(90 days\)")
        self.assertEqual(mode_of(self.data), 0o700)
        self.assertEqual(mode_of(self.tls), 0o700)
        self.assertEqual(mode_of(os.path.join(self.tls, "server.key")), 0o600)
        self.assertTrue(read(os.path.join(self.tls, "server.key")).startswith(b"-----BEGIN PRIVATE KEY-----\n"))

        text = self.ok("--print")
        self.assertIn("subject    CN=cstad.test", text)
        self.assertIn("names      DNS:cstad.test, IP:127.0.0.1, IP:::1", text)
        self.assertIn("state        ready", text)
        self.assertIn("client CA    none", text)
        facts = self.printed()["certificate"]
        self.assertEqual(facts["problem"], "")
        [cert] = facts["chain"]
        self.assertEqual(cert["subject"], "CN=cstad.test")
        self.assertEqual(cert["issuer"], "CN=cstad.test")
        self.assertEqual(cert["sans"], ["DNS:cstad.test", "IP:127.0.0.1", "IP:::1"])
        self.assertEqual(cert["not_after"] - cert["not_before"], 90 * 86400)
        self.assertTrue(cert["valid_now"])
        self.assertRegex(cert["sha256"], r"^([0-9A-F]{2}:){31}[0-9A-F]{2}$")
        self.assertIn("sha256     " + cert["sha256"], text)
        if OPENSSL:
            r = openssl("x509", "-in", os.path.join(self.tls, "server.crt"), "-noout", "-fingerprint", "-sha256")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertEqual(r.stdout.strip().split("=", 1)[1], cert["sha256"])

        # Another one replaces it.
        self.ok("--create-self-signed", "--cn=other.test", "--rsa")
        [cert] = self.printed()["certificate"]["chain"]
        self.assertEqual(cert["sans"], ["DNS:other.test"])
        if OPENSSL:
            r = openssl("pkey", "-in", os.path.join(self.tls, "server.key"), "-noout", "-text")
            self.assertIn("2048 bit", r.stdout)

    def test_install_refuses_a_key_of_another_certificate_and_changes_nothing(self):
        self.ok("--create-self-signed", "--cn=first.test")
        before = self.installed()
        other = os.path.join(self.tmp, "other")
        self.ok("--create-self-signed", "--cn=second.test", data_dir=other)
        second_crt = os.path.join(other, "tls", "server.crt")
        second_key = os.path.join(other, "tls", "server.key")

        r = self.tool("--install", f"--cert={second_crt}", f"--key={os.path.join(self.tls, 'server.key')}")
        self.assertEqual(r.returncode, 1)
        self.assertIn("not installed: the key does not belong to the certificate", r.stderr)
        self.assertEqual(self.installed(), before)
        r = self.tool("--install", f"--cert={second_key}", f"--key={second_key}")
        self.assertEqual(r.returncode, 1)
        self.assertIn("not installed: the certificate file: no PEM certificate (-----BEGIN CERTIFICATE-----) in it",
                      r.stderr)
        r = self.tool("--install", f"--cert={second_crt}", f"--key={self.path('missing.key')}")
        self.assertEqual(r.returncode, 1)
        self.assertIn("cannot read " + self.path("missing.key"), r.stderr)
        self.assertEqual(self.installed(), before)

        out = self.ok("--install", f"--cert={second_crt}", f"--key={second_key}")
        self.assertRegex(out, r"installed: CN=second\.test, valid until .* UTC \(365 days\)")
        self.assertEqual(self.installed(), {"server.crt": read(second_crt), "server.key": read(second_key)})
        self.assertEqual(mode_of(os.path.join(self.tls, "server.key")), 0o600)

    @needs_openssl
    def test_a_request_signed_by_a_ca_installs_with_its_chain(self):
        csr = self.path("cstad.csr")
        out = self.ok("--request", "--cn=cstad.test", f"--out={csr}", "--san=DNS:cstad.test,IP:10.0.0.8")
        request_key = os.path.join(self.tls, "request.key")
        self.assertEqual(mode_of(request_key), 0o600)
        self.assertEqual(mode_of(self.tls), 0o700)
        self.assertFalse(os.path.exists(os.path.join(self.tls, "server.crt")))
        r = openssl("req", "-in", csr, "-noout", "-verify", "-text")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("verify OK", r.stdout + r.stderr)
        self.assertIn("CN = cstad.test", r.stdout)
        self.assertIn("DNS:cstad.test, IP Address:10.0.0.8", r.stdout)
        command = re.search(r"^  (mxone_certificate --install .*)$", out, re.M)
        self.assertIsNotNone(command, out)
        self.assertEqual(command.group(1), f"mxone_certificate --install --cert={self.path('cstad.crt')} "
                                           f"--key={request_key} --data-dir={self.data}")

        # A CA signs it, as an operator's would.
        ca_key, ca_crt = self.path("ca.key"), self.path("ca.crt")
        r = openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                    ca_key, "-out", ca_crt, "-subj", "/CN=Example CA", "-days", "30",
                    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
        self.assertEqual(r.returncode, 0, r.stderr)
        extensions = self.path("ext.cnf")
        with open(extensions, "w") as f:
            f.write("subjectAltName=DNS:cstad.test,IP:10.0.0.8\nextendedKeyUsage=serverAuth\n")
        r = openssl("x509", "-req", "-in", csr, "-CA", ca_crt, "-CAkey", ca_key, "-CAcreateserial",
                    "-out", self.path("cstad.crt"), "-days", "20", "-extfile", extensions)
        self.assertEqual(r.returncode, 0, r.stderr)

        # The printed command, with the chain.
        args = command.group(1).split()[1:] + [f"--chain={ca_crt}"]
        out = subprocess.run([os.path.join(BIN, "mxone_certificate"), *args], capture_output=True, text=True,
                             stdin=subprocess.DEVNULL, timeout=60)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertIn("installed: CN=cstad.test", out.stdout)
        chain = self.printed()["certificate"]["chain"]
        self.assertEqual([(c["subject"], c["issuer"]) for c in chain],
                         [("CN=cstad.test", "CN=Example CA"), ("CN=Example CA", "CN=Example CA")])
        self.assertEqual(chain[0]["sans"], ["DNS:cstad.test", "IP:10.0.0.8"])
        self.assertIn("chain certificate 2", self.ok("--print"))
        self.assertEqual(read(os.path.join(self.tls, "server.key")), read(request_key))
        r = openssl("verify", "-CAfile", ca_crt, os.path.join(self.tls, "server.crt"))
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

        # A chain that did not issue the certificate is refused.
        self.ok("--create-self-signed", "--cn=stranger.test", data_dir=self.path("stranger"))
        r = self.tool("--install", f"--cert={self.path('cstad.crt')}", f"--key={request_key}",
                      f"--chain={self.path('stranger/tls/server.crt')}")
        self.assertEqual(r.returncode, 1)
        self.assertIn("certificate 2 of the chain (CN=stranger.test) did not issue certificate 1", r.stderr)

    def test_the_client_ca_is_installed_and_removed(self):
        ca_dir = self.path("ca")
        self.ok("--create-self-signed", "--cn=clients.example.com", data_dir=ca_dir)
        ca_crt = os.path.join(ca_dir, "tls", "server.crt")
        out = self.ok(f"--ca={ca_crt}")
        self.assertIn("client CA installed: TLS servers now require client certificates that chain to it", out)
        self.assertIn("subject    CN=clients.example.com", out)
        client_ca = os.path.join(self.tls, "client-ca.crt")
        self.assertEqual(read(client_ca), read(ca_crt))
        self.assertEqual(mode_of(self.tls), 0o700)
        printed = self.printed()
        self.assertIsNone(printed["certificate"])
        self.assertEqual([c["subject"] for c in printed["client_ca"]["certificates"]], ["CN=clients.example.com"])
        self.assertIn("client CA    " + client_ca, self.ok("--print"))

        for bad, reason in [(os.path.join(ca_dir, "tls", "server.key"), "no PEM certificate"),
                            (self.path("nothing.crt"), "cannot read")]:
            r = self.tool(f"--ca={bad}")
            self.assertEqual(r.returncode, 1, bad)
            self.assertIn(reason, r.stderr)
        with open(self.path("with-key.pem"), "wb") as f:
            f.write(read(ca_crt) + read(os.path.join(ca_dir, "tls", "server.key")))
        r = self.tool(f"--ca={self.path('with-key.pem')}")
        self.assertEqual(r.returncode, 1)
        self.assertIn("it holds a private key; give the CA's certificate alone", r.stderr)
        self.assertEqual(read(client_ca), read(ca_crt))

        self.assertIn("client CA removed: TLS servers no longer ask for client certificates", self.ok("--ca=none"))
        self.assertFalse(os.path.exists(client_ca))
        self.assertIsNone(self.printed()["client_ca"])
        self.assertIn("no client CA is installed", self.ok("--ca=none"))

    def test_usage_errors_exit_2_and_name_the_problem(self):
        for args, reason in [(("--create-self-signed",), "--cn is missing"),
                             (("--request", "--cn=a.test"), "--out is missing"),
                             (("--install", "--key=x"), "--cert is missing"),
                             ((), "Exactly 1 option from [--create-self-signed,--request,--install,--ca,--print]"),
                             (("--print", "--create-self-signed"), "Exactly 1 option from"),
                             (("--install", "--days=3", "--cert=a", "--key=b"), "--days does not go with --install"),
                             (("--request", "--cn=a.test", "--out=x.csr", "--days=3"), "--days does not go with --request"),
                             (("--print", "--cn=a"), "--cn does not go with --print"),
                             (("--create-self-signed", "--cn=a.test", "--days=ten"), '--days: "ten" is not a number of days'),
                             (("--create-self-signed", "--cn=a.test", "--days=0"), "valid for 1 to 36500 days, not 0"),
                             (("--create-self-signed", "--cn=a.test", "--san=DNS:a.test,email:x@y"),
                              'the SAN "email:x@y" is neither DNS:<host name> nor IP:<address>'),
                             (("--create-self-signed", "--cn=a.test", "--san=IP:1.2.3"), 'the SAN "IP:1.2.3" is not an IP address'),
                             (("--create-self-signed", "--cn=Front Desk"), 'the common name "Front Desk" is not a host name')]:
            r = self.tool(*args)
            self.assertEqual(r.returncode, 2, (args, r.stdout, r.stderr))
            self.assertIn(reason, r.stderr, args)
        self.assertFalse(os.path.exists(self.tls))

    def test_missing_parameters_are_asked_on_a_terminal(self):
        master, slave = pty.openpty()
        proc = subprocess.Popen([os.path.join(BIN, "mxone_certificate"), f"--data-dir={self.data}",
                                 "--create-self-signed"], stdin=slave, stdout=slave, stderr=slave, close_fds=True)
        os.close(slave)
        seen = b""

        def expect(prompt):
            nonlocal seen
            deadline = time.monotonic() + 20
            while prompt.encode() not in seen:
                if time.monotonic() > deadline:
                    raise AssertionError(f"no prompt {prompt!r}; saw {seen!r}")
                if select.select([master], [], [], 0.5)[0]:
                    try:
                        seen += os.read(master, 4096)
                    except OSError:
                        break
            seen = seen.split(prompt.encode(), 1)[1]

        for prompt, answer in [("Common name (the server's host name): ", "pty.test"),
                               ("Names (DNS:host,IP:address; Enter: pty.test): ", ""),
                               ("Valid for how many days [365]: ", "7")]:
            expect(prompt)
            os.write(master, (answer + "\n").encode())
        expect("installed: CN=pty.test")
        self.assertEqual(proc.wait(timeout=30), 0)
        os.close(master)
        [cert] = self.printed()["certificate"]["chain"]
        self.assertEqual(cert["sans"], ["DNS:pty.test"])
        self.assertEqual(cert["not_after"] - cert["not_before"], 7 * 86400)


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
