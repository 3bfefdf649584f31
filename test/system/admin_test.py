#!/usr/bin/env python3
"""The admin commands end to end, with real processes: cstad on a fresh data directory, csta,
csta_authentication, data_backup and data_restore, CSTA clients over TCP, a pseudo-terminal for
the interactive questions. Usage: admin_test.py BIN_DIR [unittest options]."""

import json
import os
import pty
import re
import select
import shutil
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
import unittest

BIN = None  # set from argv
ED3 = "http://www.ecma-international.org/standards/ecma-323/csta/ed3"
APPL = "http://www.ecma-international.org/standards/ecma-354/appl_session"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(n):
    """n different free ports: each socket stays bound until all are chosen, so the kernel
    cannot hand the same port out twice (as separate free_port() calls may)."""
    sockets = [socket.socket() for _ in range(n)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def wait_for(condition, seconds=10.0, what="condition"):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    raise AssertionError("timed out waiting for " + what)


class Client:
    """A CSTA client over TCP with Annex J.2 framing."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""
        self.invoke = 0

    def close(self):
        self.sock.close()

    def send(self, xml):
        self.invoke += 1
        body = xml.encode()
        self.sock.sendall(b"\0\0" + struct.pack(">H", len(body) + 8) + b"%04d" % self.invoke + body)
        return self.invoke

    def next(self, timeout=10.0):
        """The next frame as (invoke id, xml), or None when the server closed the connection."""
        self.sock.settimeout(timeout)
        while True:
            if len(self.buf) >= 8:
                length = struct.unpack(">H", self.buf[2:4])[0]
                if len(self.buf) >= length:
                    frame, self.buf = self.buf[:length], self.buf[length:]
                    return int(frame[4:8]), frame[8:].decode()
            data = self.sock.recv(65536)
            if not data:
                return None
            self.buf += data

    def request(self, xml):
        invoke = self.send(xml)
        while True:
            frame = self.next()
            if frame is None:
                raise AssertionError("connection closed while waiting for an answer")
            if frame[0] == invoke:
                return frame[1]

    def closed(self, timeout=10.0):
        """Reads until the server closes; the frames that came meanwhile, or None when the
        connection stayed open."""
        frames = []
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                frame = self.next(timeout=max(0.01, deadline - time.monotonic()))
            except socket.timeout:
                return None
            except ConnectionResetError:
                return frames
            if frame is None:
                return frames
            frames.append(frame)
        return None


def start_session(user=None, password=None, application="Desk"):
    login = ""
    if user is not None:
        login = ("<applicationSpecificInfo><ns1:SessionLoginInfo xmlns:ns1=\"http://www.avaya.com/csta\">"
                 f"<ns1:userName>{user}</ns1:userName><ns1:password>{password}</ns1:password>"
                 "</ns1:SessionLoginInfo></applicationSpecificInfo>")
    return (f'<StartApplicationSession xmlns="{APPL}"><applicationInfo><applicationID>{application}'
            f"</applicationID>{login}</applicationInfo><requestedSessionDuration>300"
            "</requestedSessionDuration></StartApplicationSession>")


def monitor_start(device):
    return f'<MonitorStart xmlns="{ED3}"><monitorObject><deviceObject>{device}</deviceObject></monitorObject></MonitorStart>'


def set_dnd(device, on):
    return (f'<SetDoNotDisturb xmlns="{ED3}"><device>{device}</device><doNotDisturbOn>'
            f'{"true" if on else "false"}</doNotDisturbOn></SetDoNotDisturb>')


def read_text(path):
    with open(path) as f:
        return f.read()


def peer_of(client):
    """The client's address:port as the server sees it (csta -p's client column, the trace)."""
    return "127.0.0.1:%d" % client.sock.getsockname()[1]


def root_of(xml):
    return re.search(r"<([A-Za-z]+)[ >/]", xml.split("?>", 1)[-1]).group(1)


def listening_tcp_ports(pid):
    """The TCP ports the process listens on, from /proc (no ss or netstat needed)."""
    inodes = set()
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith("socket:["):
            inodes.add(target[8:-1])
    ports = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        if not os.path.exists(table):
            continue
        with open(table) as f:
            for line in f.readlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                    ports.add(int(fields[1].rsplit(":", 1)[1], 16))
    return ports


def server_ready(data_dir, port, log_text):
    """cstad has its admin socket, accepts on port and has logged that it is ready."""
    if not os.path.exists(os.path.join(data_dir, "admin.sock")):
        return False
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return "admin socket" in log_text()
    except OSError:
        return False


class Server:
    """cstad on its own data directory and XML port."""

    def __init__(self, data_dir, port=None, extra=(), preexec=None):
        self.data_dir = data_dir
        self.preexec = preexec  # run in the child before cstad (e.g. to lower a limit)
        self.port = port or free_port()
        self.log_path = os.path.join(os.path.dirname(data_dir), os.path.basename(data_dir) + ".log")
        self.start(extra)

    def start(self, extra=()):
        self.log = open(self.log_path, "a")
        self.proc = subprocess.Popen([os.path.join(BIN, "cstad"), f"--data-dir={self.data_dir}",
                                      f"--port={self.port}", *extra], stdout=self.log, stderr=self.log,
                                     preexec_fn=self.preexec)
        wait_for(lambda: self.ready() or self.proc.poll() is not None, what="cstad to start")
        if self.proc.poll() is not None:
            raise AssertionError("cstad ended at start:\n" + self.log_text())

    def ready(self):
        return server_ready(self.data_dir, self.port, self.log_text)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=10)
        self.log.close()

    def log_text(self):
        with open(self.log_path) as f:
            return f.read()

    def tool(self, *args, stdin=None, data_dir=None):
        return subprocess.run([os.path.join(BIN, args[0]), f"--data-dir={data_dir or self.data_dir}", *args[1:]],
                              input=stdin, capture_output=True, text=True, timeout=60)

    def ok(self, *args, stdin=None):
        r = self.tool(*args, stdin=stdin)
        if r.returncode != 0:
            raise AssertionError(f"{' '.join(args)} failed ({r.returncode}): {r.stdout}{r.stderr}")
        return r.stdout

    def report(self, *extra):
        return json.loads(self.ok("csta", "-p", "--json", *extra))


class AdminTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cstad-admin-")
        self.servers = []

    def tearDown(self):
        for s in self.servers:
            s.stop()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def server(self, name="data", **kw):
        s = Server(os.path.join(self.tmp, name), **kw)
        self.servers.append(s)
        return s

    def test_fresh_directory_print_initiate_connect_remove(self):
        s = self.server()
        table = s.ok("csta", "-p")
        self.assertIn("CSTA servers of LIM 1", table)
        r = s.report()
        self.assertEqual([(x["type"], x["host"], x["port"], x["auth"], x["state"]) for x in r["servers"]],
                         [("xml", "127.0.0.1", s.port, "optional", "running")])
        self.assertEqual(r["sessions"], [])

        port = free_port()
        out = s.ok("csta", "-i", "--type=xml", f"--port={port}")
        self.assertIn(f"127.0.0.1:{port}", out)
        client = Client(port)
        self.assertEqual(root_of(client.request(start_session())), "StartApplicationSessionPosResponse")
        self.assertEqual(root_of(client.request(monitor_start("1000"))), "MonitorStartResponse")
        r = s.report("--devices")
        mine = [x for x in r["sessions"] if x["server_port"] == port]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["application"], "Desk")
        self.assertEqual(mine[0]["monitors"], 1)
        self.assertIn({"number": "1000", "kind": "ip", "monitors": 1}, r["devices"])
        self.assertIn("Desk", s.ok("csta", "-p"))

        out = s.ok("csta", "-e", f"--port={port}")
        self.assertIn("removed", out)
        frames = client.closed()
        self.assertIsNotNone(frames, "the connection was not closed")
        self.assertEqual([root_of(x) for _, x in frames], ["ApplicationSessionTerminated"])
        self.assertIn("<serverTermReason>CSTA server removed</serverTermReason>", frames[0][1])
        self.assertEqual(frames[0][0], 9999)
        self.assertEqual([x["port"] for x in s.report()["servers"]], [s.port])
        with self.assertRaises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2).close()
        with open(os.path.join(s.data_dir, "config.json")) as f:
            self.assertNotIn(str(port), f.read())

    def test_refusals_name_their_reason(self):
        s = self.server()
        busy = socket.socket()
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        used = busy.getsockname()[1]
        cases = [(("csta", "-i", "--type=xml", f"--port={used}"), f"cannot listen on 127.0.0.1:{used}"),
                 (("csta", "-i", "--type=xml", f"--port={s.port}"), f"has a CSTA server on port {s.port} already"),
                 (("csta", "-i", "--type=xml", "--tls=yes"), "no certificate is installed"),
                 (("csta", "-i", "--type=tr87", "--tls=yes"), "no certificate is installed"),
                 (("csta", "-i", "--type=xml", "--lim=2"), "there is no LIM 2"),
                 (("csta", "-e", "--port=1"), "there is no CSTA server on port 1"),
                 (("csta", "-i"), "--type is missing"),
                 (("csta", "-e"), "--port is missing")]
        for args, reason in cases:
            r = s.tool(*args, stdin="")
            self.assertNotEqual(r.returncode, 0, args)
            self.assertIn(reason, r.stderr, args)
        busy.close()
        self.assertEqual([x["port"] for x in s.report()["servers"]], [s.port])

    def test_accounts_authenticate_sessions_and_keep_no_password(self):
        s = self.server()
        out = s.ok("csta_authentication", "-i", "--user=desk", "--password-stdin", "--applications=Desk,Pop",
                   "--max-duration=600", stdin="s3cr3t-pass\n")
        self.assertIn("account added: desk", out)
        client = Client(s.port)
        ok = client.request(start_session("desk", "s3cr3t-pass"))
        self.assertEqual(root_of(ok), "StartApplicationSessionPosResponse")
        self.assertIn("<actualSessionDuration>300</actualSessionDuration>", ok)
        for user, password, app in [("desk", "wrong", "Desk"), ("nobody", "s3cr3t-pass", "Desk"),
                                    ("desk", "s3cr3t-pass", "Other"), (None, None, "Desk")]:
            c = Client(s.port)
            refused = c.request(start_session(user, password, app))
            self.assertEqual(root_of(refused), "StartApplicationSessionNegResponse", (user, app))
            self.assertIn("<definedError>invalidApplicationInfo</definedError>", refused)
            c.close()
        printed = s.ok("csta_authentication", "-p")
        self.assertIn("desk", printed)
        self.assertIn("Desk,Pop", printed)
        with open(os.path.join(s.data_dir, "config.json")) as f:
            config = f.read()
        self.assertNotIn("s3cr3t-pass", config)
        self.assertNotIn("s3cr3t-pass", s.log_text())
        self.assertIn("pbkdf2-sha256$", config)
        self.assertNotIn("pbkdf2", printed + s.ok("csta_authentication", "-p", "--json"))
        # Changing the password: the old one stops working.
        s.ok("csta_authentication", "-c", "--user=desk", "--password-stdin", stdin="another\n")
        c = Client(s.port)
        self.assertEqual(root_of(c.request(start_session("desk", "s3cr3t-pass"))), "StartApplicationSessionNegResponse")
        c.close()
        c = Client(s.port)
        self.assertEqual(root_of(c.request(start_session("desk", "another"))), "StartApplicationSessionPosResponse")
        self.assertIn("account removed: desk", s.ok("csta_authentication", "-e", "--user=desk"))
        r = s.tool("csta_authentication", "-i", "--user=x", stdin="")
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("no password", r.stderr)

    def test_names_and_passwords_that_would_forge_logs_are_refused(self):
        s = self.server()
        for args, stdin, reason in [
                (("--user=a\nb",), "pw\n", "--user: a name must not hold control characters"),
                (("--user= a",), "pw\n", "--user: a name must not begin or end with a space"),
                (("--user=" + "x" * 65,), "pw\n", "--user: a name must not be longer than 64 characters"),
                (("--user=a", "--applications=A,B\tC"), "pw\n", "--applications: a name must not hold control"),
                (("--user=a",), "p\x01w\n", "a password must not hold control characters"),
                (("--user=a",), "p" * 1025 + "\n", "a password must not be longer than 1024 characters")]:
            r = s.tool("csta_authentication", "-i", *args, "--password-stdin", stdin=stdin)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn(reason, r.stderr, args)
        # An empty value is a value: it does not take the next option for itself.
        s.ok("csta_authentication", "-i", "--user=any", "--applications=", "--password-stdin", stdin="pw\n")
        self.assertEqual(json.loads(s.ok("csta_authentication", "-p", "--json"))["accounts"][0]["applications"], [])
        r = s.tool("csta", "-i", "--type=xml", "--port=0")
        self.assertEqual(r.returncode, 2)
        self.assertIn('--port: "0" is not a port', r.stderr)
        # What a client sends is shown, not obeyed, in the log and in csta -p.
        c = Client(s.port)
        refused = c.request(start_session("any", "wrong", "Desk&#10;cstad ready: forged"))
        self.assertEqual(root_of(refused), "StartApplicationSessionNegResponse")
        wait_for(lambda: "Desk\\x0acstad ready: forged" in s.log_text(), what="the refusal logged")
        self.assertNotIn("\ncstad ready: forged", s.log_text())

    def test_the_wire_trace_masks_passwords(self):
        s = self.server(extra=("--log-level=debug",))
        s.ok("csta_authentication", "-i", "--user=desk", "--password-stdin", stdin="pw-secret-77\n")
        c = Client(s.port)
        self.assertEqual(root_of(c.request(start_session("desk", "pw-secret-77"))), "StartApplicationSessionPosResponse")
        wait_for(lambda: "<ns1:password>***</ns1:password>" in s.log_text(), what="the masked trace")
        self.assertNotIn("pw-secret-77", s.log_text())

    def test_a_server_that_cannot_listen_does_not_keep_the_others_down(self):
        s = self.server()
        extra = free_port()
        s.ok("csta", "-i", "--type=xml", f"--port={extra}")
        s.stop()
        busy = socket.socket()
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("127.0.0.1", extra))
        busy.listen()
        try:
            s.start()
            servers = {x["port"]: x["state"] for x in s.report()["servers"]}
            self.assertEqual(servers[s.port], "running")
            self.assertTrue(servers[extra].startswith(f"failed: cannot listen on 127.0.0.1:{extra}"), servers)
            self.assertIn(f"cannot listen on 127.0.0.1:{extra}", s.log_text())
            c = Client(s.port)
            self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")
            # A restore names what does not listen, and keeps the configuration.
            backup = os.path.join(self.tmp, "backup.json")
            s.ok("data_backup", backup)
            out = s.ok("data_restore", backup)
            self.assertIn(f"configuration restored, but not every server listens: cannot listen on 127.0.0.1:{extra}",
                          out)
        finally:
            busy.close()
        # The failed server stays configured: removing it takes it out.
        self.assertIn(f"CSTA server on port {extra} removed", s.ok("csta", "-e", f"--port={extra}"))
        self.assertEqual([x["port"] for x in s.report()["servers"]], [s.port])
        # The first server is essential: when it cannot listen, cstad does not start.
        s.stop()
        busy = socket.socket()
        busy.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        busy.bind(("127.0.0.1", s.port))
        busy.listen()
        try:
            r = subprocess.run([os.path.join(BIN, "cstad"), f"--data-dir={s.data_dir}"], capture_output=True,
                               text=True, timeout=30)
            self.assertEqual(r.returncode, 1)
            self.assertIn(f"cannot listen on 127.0.0.1:{s.port}", r.stderr)
        finally:
            busy.close()
        self.servers.remove(s)

    def test_cstad_port_names_an_existing_server_without_moving_another(self):
        s = self.server()
        extra = free_port()
        s.ok("csta", "-i", "--type=xml", f"--port={extra}")
        s.stop()
        first = s.port
        s.port = extra  # start with --port naming the second server
        s.start()
        self.assertEqual(sorted(x["port"] for x in s.report()["servers"]), sorted([first, extra]))

    def test_a_shutdown_tells_application_sessions(self):
        s = self.server()
        c = Client(s.port)
        self.assertEqual(root_of(c.request(start_session())), "StartApplicationSessionPosResponse")
        s.stop()
        frames = c.closed()
        self.assertEqual([root_of(x) for _, x in frames], ["ApplicationSessionTerminated"])
        self.assertIn("the CSTA server is shutting down", frames[0][1])
        self.assertIn("shutting down", s.log_text())

    def test_a_restart_keeps_servers_and_accounts(self):
        s = self.server()
        port = free_port()
        s.ok("csta", "-i", "--type=xml", f"--port={port}", "--auth=mandatory", "--max-sessions=5")
        s.ok("csta_authentication", "-i", "--user=desk", "--password-stdin", stdin="pw-123\n")
        s.stop()
        s.start()
        servers = {x["port"]: x for x in s.report()["servers"]}
        self.assertEqual(set(servers), {s.port, port})
        self.assertEqual(servers[port]["auth"], "mandatory")
        self.assertEqual(servers[port]["max_sessions"], 5)
        c = Client(port)
        self.assertEqual(root_of(c.request(monitor_start("1000"))), "CSTAErrorCode")  # mandatory
        self.assertEqual(root_of(c.request(start_session("desk", "pw-123"))), "StartApplicationSessionPosResponse")
        self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")

    def test_a_wrong_admin_secret_is_refused(self):
        s = self.server()
        fake = os.path.join(self.tmp, "fake")
        os.makedirs(fake)
        os.symlink(os.path.join(s.data_dir, "admin.sock"), os.path.join(fake, "admin.sock"))
        with open(os.path.join(fake, "admin.secret"), "w") as f:
            f.write("0" * 64 + "\n")
        r = s.tool("csta", "-p", data_dir=fake)
        self.assertNotEqual(r.returncode, 0)
        self.assertIn("refused: wrong admin secret", r.stderr)
        r = s.tool("csta", "-i", "--type=xml", f"--port={free_port()}", data_dir=fake)
        self.assertIn("refused: wrong admin secret", r.stderr)
        wait_for(lambda: "wrong secret refused" in s.log_text(), what="the refusal in the log")
        self.assertEqual(len(s.report()["servers"]), 1)
        mode = os.stat(os.path.join(s.data_dir, "admin.secret")).st_mode & 0o777
        self.assertEqual(mode, 0o600)

    def test_the_admin_channel_is_a_private_socket_not_a_network_port(self):
        s = self.server()
        sock = os.path.join(s.data_dir, "admin.sock")
        self.assertTrue(stat.S_ISSOCK(os.stat(sock).st_mode))
        self.assertEqual(os.stat(sock).st_mode & 0o777, 0o600)
        self.assertEqual(os.stat(s.data_dir).st_mode & 0o777, 0o700)
        # The only TCP port cstad listens on is its CSTA server's.
        self.assertEqual(listening_tcp_ports(s.proc.pid), {s.port})
        s.stop()
        self.assertFalse(os.path.exists(sock))
        r = s.tool("csta", "-p")
        self.assertEqual(r.returncode, 1)
        self.assertIn("no cstad is running on the data directory", r.stderr)

    def test_a_corrupt_configuration_is_reported_and_left_alone(self):
        s = self.server()
        s.stop()
        path = os.path.join(s.data_dir, "config.json")
        broken = b'{"servers": [{"port": 70000}],\n "plan": null}\n'
        with open(path, "wb") as f:
            f.write(broken)
        r = subprocess.run([os.path.join(BIN, "cstad"), f"--data-dir={s.data_dir}"], capture_output=True,
                           text=True, timeout=30)
        self.assertEqual(r.returncode, 2)
        self.assertIn(path, r.stderr)
        self.assertIn("servers[0].port: 70000 is not a port", r.stderr)
        with open(path, "rb") as f:
            self.assertEqual(f.read(), broken)
        self.servers.remove(s)

    def test_backup_on_one_restore_on_a_fresh_one(self):
        a = self.server("a")
        extra = free_port()
        a.ok("csta", "-i", "--type=xml", f"--port={extra}", "--auth=mandatory")
        a.ok("csta_authentication", "-i", "--user=desk", "--password-stdin", "--level=3", stdin="pw-123\n")
        c = Client(a.port)
        self.assertEqual(root_of(c.request(set_dnd("1005", True))), "SetDoNotDisturbResponse")
        backup = os.path.join(self.tmp, "backup.json")
        self.assertIn("backed up the running server", a.ok("data_backup", backup))
        self.assertEqual(os.stat(backup).st_mode & 0o777, 0o600)
        with open(backup) as f:
            dumped = json.load(f)
        self.assertEqual(dumped["exchange"]["features"], [{"device": "1005", "feature": "doNotDisturb"}])

        b = self.server("b")
        # a's servers move to b with its configuration: a must let go of their ports first.
        a.stop()
        self.servers.remove(a)
        out = b.ok("data_restore", backup)
        self.assertIn("restored", out)
        # Servers (the restored ones, on their ports), accounts and exchange data are a's.
        wait_for(lambda: {x["port"] for x in b.report()["servers"]} == {a.port, extra}, what="b's servers")
        wait_for(lambda: all(x["state"] == "running" for x in b.report()["servers"]), what="running")
        auth = json.loads(b.ok("csta_authentication", "-p", "--json"))
        self.assertEqual([(x["user"], x["level"]) for x in auth["accounts"]], [("desk", 3)])
        c = Client(a.port)
        self.assertEqual(root_of(c.request(start_session("desk", "pw-123"))), "StartApplicationSessionPosResponse")
        dnd = c.request(f'<GetDoNotDisturb xmlns="{ED3}"><device>1005</device></GetDoNotDisturb>')
        self.assertIn("<doNotDisturbOn>true</doNotDisturbOn>", dnd)
        # Into a stopped server's data directory: the next start uses it.
        stopped = os.path.join(self.tmp, "c")
        r = subprocess.run([os.path.join(BIN, "data_restore"), f"--data-dir={stopped}", backup],
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("the next start uses it", r.stdout)
        with open(os.path.join(stopped, "config.json")) as f:
            self.assertEqual(json.load(f)["authentication"]["accounts"][0]["user"], "desk")

    def test_dnd_and_forwarding_survive_a_restart(self):
        s = self.server()
        c = Client(s.port)
        c.request(set_dnd("1007", True))
        c.request(f'<SetForwarding xmlns="{ED3}"><device>1008</device><forwardingType>forwardImmediate'
                  "</forwardingType><activateForward>true</activateForward><forwardDN>1009</forwardDN></SetForwarding>")
        c.close()
        s.stop()
        s.start()
        c = Client(s.port)
        self.assertIn("<doNotDisturbOn>true</doNotDisturbOn>",
                      c.request(f'<GetDoNotDisturb xmlns="{ED3}"><device>1007</device></GetDoNotDisturb>'))
        fwd = c.request(f'<GetForwarding xmlns="{ED3}"><device>1008</device></GetForwarding>')
        self.assertIn("<forwardDN>1009</forwardDN>", fwd)

    def test_csta_i_asks_on_a_terminal(self):
        s = self.server()
        port = free_port()
        master, slave = pty.openpty()
        proc = subprocess.Popen([os.path.join(BIN, "csta"), f"--data-dir={s.data_dir}", "-i"], stdin=slave,
                                stdout=slave, stderr=slave, close_fds=True)
        os.close(slave)
        seen = b""

        def expect(prompt):
            nonlocal seen
            deadline = time.monotonic() + 20
            while prompt.encode() not in seen:
                if time.monotonic() > deadline:
                    raise AssertionError(f"no prompt {prompt!r}; saw {seen!r}")
                ready, _, _ = select.select([master], [], [], 0.5)
                if ready:
                    try:
                        seen += os.read(master, 4096)
                    except OSError:
                        break
            seen = seen.split(prompt.encode(), 1)[1]

        for prompt, answer in [("LIM [1]: ", ""), ("Server type (xml, tr87) [xml]: ", ""),
                               ("TLS (yes, no) [no]: ", ""), ("Port [8882]: ", str(port)),
                               ("Address to listen on [127.0.0.1]: ", ""),
                               ("Application sessions (optional, mandatory) [optional]: ", "mandatory"),
                               ("Maximum number of sessions (0: no limit) [0]: ", "")]:
            expect(prompt)
            os.write(master, (answer + "\n").encode())
        expect(f"127.0.0.1:{port}")
        self.assertEqual(proc.wait(timeout=30), 0)
        os.close(master)
        servers = {x["port"]: x for x in s.report()["servers"]}
        self.assertEqual(servers[port]["auth"], "mandatory")

    def test_csta_t_traces_the_chosen_clients_whole_with_passwords_masked_and_rotates(self):
        s = self.server(extra=["--trace-max-bytes=20000"])
        trace = os.path.join(s.data_dir, "trace.log")
        c = Client(s.port)
        self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")
        self.assertIn("wire trace: all clients", s.ok("csta", "-t", "on"))
        c.request(start_session("desk", "pa55-w0rd"))
        c.request(monitor_start("1001"))
        text = read_text(trace)
        self.assertNotIn("<deviceObject>1000<", text)  # before it was switched on
        self.assertRegex(text, r"127\.0\.0\.1:\d+ -> tcp 0002 <\?xml|127\.0\.0\.1:\d+ -> tcp 0002 <StartApplicationSession")
        self.assertRegex(text, r"127\.0\.0\.1:\d+ <- tcp 0003 .*MonitorStartResponse")
        self.assertIn("<deviceObject>1001</deviceObject>", text)
        self.assertNotIn("pa55-w0rd", text)
        # Another client address only: this client is no longer traced.
        self.assertIn("clients from 192.0.2.7", s.ok("csta", "-t", "on", "--client=192.0.2.7"))
        c.request(monitor_start("1002"))
        self.assertNotIn("1002", read_text(trace))
        self.assertIn("wire trace: off", s.ok("csta", "-t", "off"))
        self.assertEqual(s.tool("csta", "-t", "loud").returncode, 2)
        # Traced again, it rotates at --trace-max-bytes.
        s.ok("csta", "-t", "on")
        for _ in range(60):
            c.request(monitor_start("1003"))
        self.assertTrue(os.path.exists(os.path.join(s.data_dir, "trace.1.log")))
        self.assertLessEqual(os.path.getsize(trace), 20000)
        c.close()

    def only_the_first_traced(self, trace, first, second, invoke):
        """Two (client, device): each client starts a monitor on its device; the trace has the
        first's request (invoke id) and its answer, and nothing of the second."""
        for client, device in (first, second):
            client.request(monitor_start(device))
        text = read_text(trace)
        traced = re.escape(peer_of(first[0]))
        self.assertRegex(text, traced + f" -> tcp {invoke:04d} .*<deviceObject>{first[1]}</deviceObject>")
        self.assertRegex(text, traced + f" <- tcp {invoke:04d} .*MonitorStartResponse")
        self.assertNotIn(peer_of(second[0]), text)
        self.assertNotIn(f"<deviceObject>{second[1]}<", text)

    def test_csta_t_on_a_session_traces_that_session_only(self):
        s = self.server()
        trace = os.path.join(s.data_dir, "trace.log")
        a, b = Client(s.port), Client(s.port)
        started = a.request(start_session(application="A"))
        session_id = re.search(r"<sessionID>([^<]+)</sessionID>", started).group(1)
        b.request(start_session(application="B"))
        # What --session takes is what csta -p shows.
        self.assertEqual([x["session_id"] for x in s.report()["sessions"] if x["client"] == peer_of(a)], [session_id])
        self.assertIn(session_id, s.ok("csta", "-p"))
        self.assertIn(f"wire trace: session {session_id} (1 session traced now)",
                      s.ok("csta", "-t", "on", f"--session={session_id}"))
        self.only_the_first_traced(trace, (a, "1001"), (b, "1002"), invoke=2)
        # One connection by its address and port (what csta -p shows as the client): now b only.
        self.assertIn(f"wire trace: clients from {peer_of(b)} (1 session traced now)",
                      s.ok("csta", "-t", "on", f"--client={peer_of(b)}"))
        a.request(monitor_start("1003"))
        b.request(monitor_start("1004"))
        text = read_text(trace)
        self.assertNotIn("1003", text)
        self.assertRegex(text, re.escape(peer_of(b)) + r" -> tcp 0003 .*<deviceObject>1004</deviceObject>")

    def test_csta_t_on_a_device_traces_the_sessions_that_monitor_or_name_it(self):
        s = self.server()
        trace = os.path.join(s.data_dir, "trace.log")
        watcher, other, controller = Client(s.port), Client(s.port), Client(s.port)
        watcher.request(monitor_start("1005"))  # before the trace is on
        other.request(monitor_start("1006"))
        self.assertIn("wire trace: the sessions of device 1005 (1 session traced now)",
                      s.ok("csta", "-t", "on", "--device=1005"))
        self.only_the_first_traced(trace, (watcher, "1010"), (other, "1011"), invoke=2)
        controller.request(monitor_start("1012"))  # names another device: not traced
        dnd = controller.request(set_dnd("1005", True))  # names it: traced from this request on
        self.assertEqual(root_of(dnd), "SetDoNotDisturbResponse")
        controller.request(monitor_start("1013"))
        text = read_text(trace)
        self.assertNotIn(peer_of(other), text)
        self.assertNotIn("1012", text)
        named = re.search(re.escape(peer_of(controller)) + r" -> tcp 0002 .*<SetDoNotDisturb", text)
        answered = re.search(re.escape(peer_of(controller)) + r" <- tcp 0002 .*SetDoNotDisturbResponse", text)
        self.assertIsNotNone(named, text)
        self.assertIsNotNone(answered, text)
        self.assertLess(named.start(), answered.start())
        self.assertRegex(text, re.escape(peer_of(controller)) + r" -> tcp 0003 .*<deviceObject>1013</deviceObject>")
        # Off: none of them any more.
        self.assertIn("wire trace: off", s.ok("csta", "-t", "off"))
        watcher.request(monitor_start("1014"))
        self.assertNotIn("1014", read_text(trace))

    def test_cstad_trace_on_a_device_from_the_start(self):
        s = self.server(extra=["--trace=device:1005"])
        trace = os.path.join(s.data_dir, "trace.log")
        self.only_the_first_traced(trace, (Client(s.port), "1005"), (Client(s.port), "1006"), invoke=1)

    def test_a_trace_of_what_is_not_there_is_refused_with_the_reason(self):
        s = self.server()
        cases = [(("on", "--device=99999"), 1, "--device: \"99999\" is not a number of the system's plan"),
                 (("on", "--session=nosuch"), 1,
                  "--session: no session of LIM 1 has the id \"nosuch\" (csta -p shows each session's id)"),
                 (("on", "--client=desk.example"), 1,
                  "--client: \"desk.example\" is not an IP address or ADDRESS:PORT"),
                 (("on", "--client=127.0.0.1:0"), 1, "is not an IP address or ADDRESS:PORT"),
                 (("on", "--client=127.0.0.1", "--device=1000"), 2,
                  "--client, --session and --device each choose what is traced; give one of them"),
                 (("on", "--device="), 2, "-t on: --device needs a value"),
                 (("off", "--device=1000"), 2, "-t off takes no --client, --session or --device")]
        for args, code, reason in cases:
            r = s.tool("csta", "-t", *args)
            self.assertEqual(r.returncode, code, (args, r.stderr))
            self.assertIn(reason, r.stderr, args)
        c = Client(s.port)  # none of them switched the trace on
        c.request(monitor_start("1000"))
        self.assertEqual(read_text(os.path.join(s.data_dir, "trace.log")), "")
        # At the start, too.
        data_dir = os.path.join(self.tmp, "bad-trace")
        r = subprocess.run([os.path.join(BIN, "cstad"), f"--data-dir={data_dir}", f"--port={free_port()}",
                            "--trace=device:10a5"], capture_output=True, text=True, timeout=60)
        self.assertEqual(r.returncode, 2, r.stdout + r.stderr)
        self.assertIn('--trace: "10a5" is not a device number', r.stdout + r.stderr)

    def test_a_password_is_asked_without_echo_on_a_terminal(self):
        s = self.server()
        master, slave = pty.openpty()
        proc = subprocess.Popen([os.path.join(BIN, "csta_authentication"), f"--data-dir={s.data_dir}", "-i",
                                 "--user=desk", "--level=1", "--applications=Desk", "--max-duration=0",
                                 "--devices=1010,1050-1059"],
                                stdin=slave, stdout=slave, stderr=slave, close_fds=True)
        os.close(slave)
        out = b""
        for prompt in [b"Password: ", b"Again: "]:
            deadline = time.monotonic() + 20
            while prompt not in out and time.monotonic() < deadline:
                if select.select([master], [], [], 0.5)[0]:
                    out += os.read(master, 4096)
            self.assertIn(prompt, out)
            out = out.split(prompt, 1)[1]
            os.write(master, b"typed-secret\n")
        self.assertEqual(proc.wait(timeout=30), 0)
        try:
            while select.select([master], [], [], 0.2)[0]:
                out += os.read(master, 4096)
        except OSError:
            pass
        os.close(master)
        self.assertNotIn(b"typed-secret", out)
        self.assertIn(b"account added: desk", out)
        c = Client(s.port)
        self.assertEqual(root_of(c.request(start_session("desk", "typed-secret"))), "StartApplicationSessionPosResponse")
        # The account's devices are in force and reported.
        listing = subprocess.run([os.path.join(BIN, "csta_authentication"), f"--data-dir={s.data_dir}", "-p",
                                  "--json"], capture_output=True, text=True, timeout=30)
        desk = [a for a in json.loads(listing.stdout)["accounts"] if a["user"] == "desk"][0]
        self.assertEqual(desk["devices"], ["1010", "1050-1059"])
        bad = subprocess.run([os.path.join(BIN, "csta_authentication"), f"--data-dir={s.data_dir}", "-c",
                              "--user=desk", "--devices=1019-1010"], capture_output=True, text=True, timeout=30)
        self.assertEqual(bad.returncode, 2)
        self.assertIn("a range starts with its lower end", bad.stderr)


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
