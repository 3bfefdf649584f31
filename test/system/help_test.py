#!/usr/bin/env python3
"""--help of every program: each option it lists has its one line of text, and every command
line in README.md and deploy/ uses only options its program lists.

Why these two checks: both parsers (CLI11 in the admin tools, CAF's option set in cstad) list
every option they are given in --help by construction, so an option cannot be accepted and
missing from the list; what can go missing is its text (either parser takes an option without
one), and the documentation can name an option that is gone or misspelt. A list of options kept
next to each parser would only repeat the parsers and drift from them.
Usage: help_test.py BIN_DIR [unittest options]."""

import glob
import os
import re
import subprocess
import sys
import unittest

BIN = None  # set from argv
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PROGRAMS = ["cstad", "csta", "csta_authentication", "mxone_certificate", "data_backup", "data_restore", "cstaload"]
# Scripts that pass their arguments to a program.
ALIASES = {"deploy/run.sh": "cstad"}

# CAF: "  --name=<type>   : text" (the help option: "  (-h|-?|--help)   : text").
CAF_OPTION = re.compile(r"^  (?:\((?P<alts>[^)]*)\)|(?P<name>--[\w.-]+)(?:=<[^>]*>)?)\s*:(?: (?P<text>.*))?$")
# CLI11: "  -h,--help    text", "  --name TEXT   text", or the name alone with the text on the next
# line when the name is long; positionals "  FILE TEXT REQUIRED   text".
# The kind may hold single spaces ("INT:INT in [1 - 10000]=50"); two or more end it.
CLI11_OPTION = re.compile(r"^ {2,}(?P<names>-\S+|[A-Z][A-Z_]*)(?P<kind>(?: \S+)*?)(?: {2,}(?P<text>\S.*?))?\s*$")
CLI11_TEXT_LINE = re.compile(r"^ {20,}(?P<text>[^\s-].*)$")


def caf_options(text):
    """{option: its text} of a CAF help text."""
    out = {}
    for line in text.split("\n"):
        m = CAF_OPTION.match(line)
        if not m:
            continue
        names = m.group("alts").split("|") if m.group("alts") else [m.group("name")]
        for name in names:
            out[name] = (m.group("text") or "").strip()
    return out


def cli11_options(text):
    """{option or positional: its text} of a CLI11 help text."""
    out = {}
    lines = text.split("\n")
    in_list = False
    for i, line in enumerate(lines):
        if line.strip().endswith("Options:") or line.strip() == "Positionals:":
            in_list = True
            continue
        if not in_list or CLI11_TEXT_LINE.match(line):
            continue  # (the text of the entry above, under a long name)
        m = CLI11_OPTION.match(line)
        if not m:
            continue
        described = m.group("text")
        if described is None and i + 1 < len(lines):
            follow = CLI11_TEXT_LINE.match(lines[i + 1])
            described = follow.group("text") if follow else None
        for name in m.group("names").split(","):
            out[name] = (described or "").strip()
    return out


# A program at the start of a command: at the line's start, after a pipe or ;, after
# ExecStart= or sudo -u USER, with any path before its name (build/bin/, /usr/local/bin/).
INVOCATION = re.compile(r"(?:^|[|;&]\s*|ExecStart=|sudo -u \w+\s+)(?:[\w.$/{}-]*/)?"
                        r"(?P<program>cstad|csta|csta_authentication|mxone_certificate|data_backup|data_restore"
                        r"|cstaload|deploy/run\.sh)(?=\s|$)(?P<rest>.*)$")
OPTIONS_VARIABLE = re.compile(r'CSTAD_OPTIONS="(?P<rest>[^"]*)"')
OPTION_TOKEN = re.compile(r"(?<![\w-])(--?[A-Za-z][\w.-]*)")


def documented_uses(text):
    """[(program, option)] of the command lines in a document; option None for a command line
    with no option."""
    uses = []
    for line in text.split("\n"):
        found = [(m.group("program"), m.group("rest")) for m in INVOCATION.finditer(line.strip())]
        found += [("cstad", m.group("rest")) for m in OPTIONS_VARIABLE.finditer(line)]
        for program, rest in found:
            program = ALIASES.get(program, program)
            rest = re.split(r"\s#", rest, maxsplit=1)[0]  # not its comment
            uses += [(program, option) for option in OPTION_TOKEN.findall(rest) or [None]]
    return uses


def help_of(program):
    r = subprocess.run([os.path.join(BIN, program), "--help"], capture_output=True, text=True, timeout=30)
    if r.returncode != 0:
        raise AssertionError(f"{program} --help ended with {r.returncode}: {r.stderr}")
    return r.stdout


def options_of(program):
    """Every option the program takes, as its help lists it, with its text."""
    text = help_of(program)
    if program != "cstad":
        return cli11_options(text)
    options = caf_options(text)
    # CAF's own options (scheduler.*, middleman.*) are in --long-help, which --help points to.
    r = subprocess.run([os.path.join(BIN, program), "--long-help"], capture_output=True, text=True, timeout=30)
    for name, described in caf_options(r.stdout).items():
        options.setdefault(name, described)
    return options


class HelpTest(unittest.TestCase):
    def test_the_parsers_see_an_option_without_text(self):
        # As CLI11 prints options added without text: the name padded with spaces, or alone.
        cli11 = ("Usage: x [OPTIONS] FILE\n\nPositionals:\n  FILE TEXT REQUIRED          the file\n\n"
                 "Options:\n  -h,--help                   Print this help message and exit\n"
                 "  --quiet TEXT                \n  --a-rather-long-option-name-here TEXT\n"
                 "  --flag                      \n  --another-rather-long-option TEXT\n"
                 "                              its text\n"
                 "  --rate FLOAT:NONNEGATIVE=0  calls per second\n  --connections INT:INT in [1 - 10000]=50\n"
                 "                              TCP connections\n"
                 "[Option Group: mode]\n  Options:\n    -i                          initiate\n    -t TEXT     \n")
        self.assertEqual(cli11_options(cli11), {"FILE": "the file", "-h": "Print this help message and exit",
                                                "--help": "Print this help message and exit", "--quiet": "",
                                                "--a-rather-long-option-name-here": "", "--flag": "",
                                                "--another-rather-long-option": "its text",
                                                "--rate": "calls per second", "--connections": "TCP connections",
                                                "-i": "initiate", "-t": ""})
        caf = "global options:\n  (-h|-?|--help)   : print help\n  --x=<string>     : \n  --y.z            : why\n"
        self.assertEqual(caf_options(caf), {"-h": "print help", "-?": "print help", "--help": "print help",
                                            "--x": "", "--y.z": "why"})
        doc = ("build/bin/csta -t on [--client=192.0.2.7] # not --this\n"
               'echo "$P" | build/bin/csta_authentication -i --user=desk\n'
               "build/bin/e2e_bench --server=build/bin/cstad --tls\n"
               "ExecStart=/usr/local/bin/cstad --lim=%i --data-dir=/var/lib/cstad/lim%i $CSTAD_OPTIONS\n"
               "./deploy/run.sh --metrics=127.0.0.1:9464\n"
               '  CSTAD_OPTIONS="--port=8882"\n'
               "build/bin/data_backup /safe/place/cstad.json\n"
               "prose about csta -i --auth=mandatory, or --session-required\n")
        self.assertEqual(documented_uses(doc), [("csta", "-t"), ("csta", "--client"), ("csta_authentication", "-i"),
                                                ("csta_authentication", "--user"), ("cstad", "--lim"),
                                                ("cstad", "--data-dir"), ("cstad", "--metrics"), ("cstad", "--port"),
                                                ("data_backup", None)])

    def test_every_option_of_every_program_has_its_line_of_text(self):
        for program in PROGRAMS:
            options = options_of(program)
            self.assertIn("--help", options, program)
            self.assertGreaterEqual(len(options), 4, program)  # a help text the parser could read
            own = caf_options(help_of(program)) if program == "cstad" else options
            for name, described in own.items():
                with self.subTest(program=program, option=name):
                    self.assertTrue(described, f"{program} --help lists {name} without text")

    def test_the_documented_command_lines_use_only_options_there_are(self):
        files = [os.path.join(ROOT, "README.md")] + sorted(glob.glob(os.path.join(ROOT, "deploy", "*.sh"))) + \
            sorted(glob.glob(os.path.join(ROOT, "deploy", "systemd", "*")))
        uses = {}
        for path in files:
            with open(path) as f:
                for program, option in documented_uses(f.read()):
                    uses.setdefault(program, set()).add((option, os.path.relpath(path, ROOT)))
        # Every program is documented somewhere: an extraction that found nothing checks nothing.
        self.assertEqual(sorted(uses), sorted(PROGRAMS))
        for program, used in uses.items():
            known = options_of(program)
            for option, where in sorted(used, key=str):
                if option is None:
                    continue
                with self.subTest(program=program, option=option):
                    self.assertIn(option, known, f"{where} gives {program} {option}, which its --help does not list")


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
