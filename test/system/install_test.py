#!/usr/bin/env python3
"""deploy/install.sh into a staging root (DESTDIR): the programs, the systemd unit (which
systemd-analyze accepts), the default options; and cstad started with the unit's own command
line and options serves clients. Usage: install_test.py BIN_DIR [unittest options]."""

import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import admin_test  # noqa: E402
from admin_test import Client, free_port, monitor_start, root_of, server_ready, wait_for  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
PROGRAMS = ["cstad", "csta", "csta_authentication", "mxone_certificate", "data_backup", "data_restore"]


class InstallTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="cstad-install-")
        self.dest = os.path.join(self.tmp, "root")
        env = dict(os.environ, DESTDIR=self.dest, SKIP_BUILD="1", BUILD_DIR=os.path.dirname(admin_test.BIN))
        r = subprocess.run([os.path.join(ROOT, "deploy", "install.sh")], env=env, capture_output=True, text=True,
                           timeout=120)
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_programs_unit_and_options_are_installed_and_the_unit_is_valid(self):
        for p in PROGRAMS:
            path = os.path.join(self.dest, "usr/local/bin", p)
            self.assertTrue(os.stat(path).st_mode & stat.S_IXOTH, p)
        unit = open(os.path.join(self.dest, "etc/systemd/system/cstad@.service")).read()
        for hardening in ["User=cstad", "NoNewPrivileges=yes", "ProtectSystem=strict", "StateDirectory=cstad/lim%i",
                          "ExecReload=/bin/kill -HUP $MAINPID", "CapabilityBoundingSet="]:
            self.assertIn(hardening, unit)
        self.assertTrue(os.path.exists(os.path.join(self.dest, "etc/cstad/lim1.conf")))
        if shutil.which("systemd-analyze"):
            # An instance of the unit, pointing at the staged program, as systemd would load it.
            check = os.path.join(self.tmp, "cstad@1.service")
            with open(check, "w") as f:
                f.write(unit.replace("/usr/local/bin/cstad", os.path.join(self.dest, "usr/local/bin/cstad")))
            r = subprocess.run(["systemd-analyze", "verify", check], capture_output=True, text=True, timeout=60)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertNotIn("Unknown", r.stderr)

    def test_cstad_runs_with_the_units_command_line(self):
        unit = open(os.path.join(self.dest, "etc/systemd/system/cstad@.service")).read()
        conf = open(os.path.join(self.dest, "etc/cstad/lim1.conf")).read()
        options = shlex.split(re.search(r'^CSTAD_OPTIONS="(.*)"$', conf, re.M).group(1))
        exec_start = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1).replace("%i", "1")
        data_dir = os.path.join(self.tmp, "var/lib/cstad/lim1")
        port = free_port()
        argv = [a for a in shlex.split(exec_start) if a != "$CSTAD_OPTIONS"] + options + [f"--port={port}"]
        argv[0] = os.path.join(self.dest, argv[0].lstrip("/"))
        argv = [f"--data-dir={data_dir}" if a.startswith("--data-dir=") else a for a in argv]
        log = open(os.path.join(self.tmp, "cstad.log"), "w")
        proc = subprocess.Popen(argv, stdout=log, stderr=log)
        try:
            wait_for(lambda: server_ready(data_dir, port, lambda: open(log.name).read()) or proc.poll() is not None,
                     what="the installed cstad to start")
            self.assertIsNone(proc.poll(), open(log.name).read())
            c = Client(port)
            self.assertEqual(root_of(c.request(monitor_start("1000"))), "MonitorStartResponse")
            c.close()
            # The admin tools find it through its data directory, as the unit's comment says.
            r = subprocess.run([os.path.join(self.dest, "usr/local/bin/csta"), "-p", f"--data-dir={data_dir}"],
                               capture_output=True, text=True, timeout=30)
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(str(port), r.stdout)
        finally:
            proc.terminate()
            proc.wait(timeout=15)
            log.close()


if __name__ == "__main__":
    admin_test.BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
