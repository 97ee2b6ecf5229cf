"""Shared bits of the lava-jobs tests (run by ctest through run-tests)."""
import os
import re
import shutil
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
LAVA_JOBS = os.path.dirname(HERE)
REPO = os.path.dirname(LAVA_JOBS)
DATA = os.path.join(HERE, "data")
sys.path.insert(0, LAVA_JOBS)

SKIP = 77  # ctest SKIP_RETURN_CODE


def skip(why):
    """A test program that cannot run here: ctest's skip status."""
    print("SKIP: %s" % why)
    sys.exit(SKIP)


def fail(why):
    print("FAIL: %s" % why)
    sys.exit(1)


def have_lava_common():
    try:
        import lava_common.schemas
        return bool(lava_common.schemas.validate)
    except ImportError:
        return False


def need_lava_run():
    """Skip unless LAVA's dispatcher can run a job here (root, lava-run,
    lava-common)."""
    if os.geteuid() != 0:
        skip("lava-run needs root")
    if not shutil.which("lava-run"):
        skip("no lava-run (scripts/setup-lava)")
    if not have_lava_common():
        skip("no lava-common (scripts/setup-lava)")


def busybox_path(tmp):
    """A PATH whose sh, awk, od, ... are busybox's, as in the guest; None
    without busybox on this host."""
    bb = shutil.which("busybox")
    if not bb:
        return None
    d = os.path.join(tmp, "bb")
    os.makedirs(d, exist_ok=True)
    for applet in ("sh", "awk", "od", "sha256sum", "sed", "grep", "cut", "tr", "wc", "mktemp",
                   "rm", "cat", "tail", "head", "dirname", "mkdir", "sort", "uname", "timeout", "env",
                   "basename", "readlink", "sleep", "cp", "ls", "chmod"):
        link = os.path.join(d, applet)
        if not os.path.exists(link):
            os.symlink(bb, link)
    return d


class TmpCase(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="tcelab-lava-test.")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
        return path


KTAP_CHECK = re.compile(r"^(not )?ok \d+ (\S+): .*?(?: # (SKIP|XFAIL)\b.*)?$")


def ktap_checks(log_path):
    """[(case, result)] in order, from the KTAP check lines of
    tcelab-validate-host the guest printed into a LAVA job log (ktap-to-lava
    echoes each before its lava-test-case): what LAVA should have recorded."""
    from tcelab_lava import lavalog
    out = []
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            entry = lavalog.parse_line(line)
            if not entry or entry.get("lvl") != "target":
                continue
            m = KTAP_CHECK.match(str(entry.get("msg")).strip())
            if m:
                result = {"SKIP": "skip", "XFAIL": "unknown"}.get(m.group(3), "fail" if m.group(1) else "pass")
                out.append((re.sub(r"[:= /]", "-", m.group(2)), result))
    return out


def main():
    """unittest.main, but exit 77 when every test was skipped for a missing tool."""
    prog = unittest.main(exit=False, verbosity=2)
    r = prog.result
    if r.testsRun and len(r.skipped) == r.testsRun and not r.failures and not r.errors:
        sys.exit(SKIP)
    sys.exit(0 if r.wasSuccessful() else 1)
