"""LAVA's job log: one YAML mapping per line, {"dt", "lvl", "msg"}.

lava-run writes it to stderr; lava-server keeps it as output.yaml (the same
mappings as a YAML list, "- {...}" per line) and serves it at
/api/v0.2/jobs/<id>/logs/. From it come the results (lvl "results": every
lava-test-case and LAVA's own "lava" suite, with the job's error_type) and
what the guest printed (lvl "target"): tcelab-lava-report's error lines and
its base64 artifacts (lava-jobs/tests/bin/tcelab-lava-report)."""
import base64
import hashlib
import re

import yaml

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - Debian's python3-yaml has libyaml
    _Loader = yaml.SafeLoader

ART_BEGIN = re.compile(r"TCELAB-ARTIFACT-BEGIN (\S+)/(\S+) bytes=(\d+) sha256=([0-9a-f]{64})")
ART_END = re.compile(r"TCELAB-ARTIFACT-END (\S+)/(\S+)")
B64_LINE = re.compile(r"^[A-Za-z0-9+/=]+$")
ERR_LINE = re.compile(r"TCELAB-LAVA-(ERROR|SKIP) ([a-z0-9._-]+): (.*)$")
GUEST_ERR = re.compile(r"^TCELAB-ERROR (.*)$")  # the guest's /init could not set up


class JobLog:
    def __init__(self):
        self.results = []      # every "results" msg, in order
        self.job = None        # the "lava"/"job" result: result, error_type, error_msg
        self.artifacts = {}    # (workload, file) -> bytes, checked against its sha256
        self.problems = []     # artifacts that did not decode or did not match
        self.errors = {}       # workload -> [message] (TCELAB-LAVA-ERROR lines)
        self.skips = {}        # workload -> [message]
        self.guest_errors = [] # TCELAB-ERROR lines of the guest's /init
        self.first_dt = None
        self.last_dt = None
        self.lines = 0
        self.unparsed = 0
        self._art = None       # (workload, file, size, sha, [lines]) while inside one

    def feed(self, entry):
        if not isinstance(entry, dict):
            self.unparsed += 1
            return
        dt = entry.get("dt")
        if dt:
            self.first_dt = self.first_dt or str(dt)
            self.last_dt = str(dt)
        lvl, msg = entry.get("lvl"), entry.get("msg")
        if lvl == "results" and isinstance(msg, dict):
            self.results.append(msg)
            if msg.get("definition") == "lava" and msg.get("case") == "job":
                self.job = msg
        elif lvl == "target" and isinstance(msg, str):
            self._target(msg.rstrip("\r"))

    def _target(self, text):
        if self._art is not None:
            end = ART_END.search(text)
            if end:
                self._finish(end.group(1), end.group(2))
            elif B64_LINE.match(text.strip()):
                self._art[4].append(text.strip())
            # anything else (a kernel message) interleaved: not part of it
            return
        begin = ART_BEGIN.search(text)
        if begin:
            self._art = (begin.group(1), begin.group(2), int(begin.group(3)), begin.group(4), [])
            return
        g = GUEST_ERR.match(text.strip())
        if g:
            self.guest_errors.append(g.group(1))
            return
        m = ERR_LINE.search(text)
        if m:
            target = self.errors if m.group(1) == "ERROR" else self.skips
            target.setdefault(m.group(2), []).append(m.group(3))

    def _finish(self, workload, name):
        w, f, size, sha, lines = self._art
        self._art = None
        if (w, f) != (workload, name):
            self.problems.append("artifact %s/%s: its end marker names %s/%s" % (w, f, workload, name))
            return
        try:
            data = base64.b64decode("".join(lines), validate=True)
        except (ValueError, TypeError) as exc:
            self.problems.append("artifact %s/%s: bad base64 (%s)" % (w, f, exc))
            return
        if len(data) != size or hashlib.sha256(data).hexdigest() != sha:
            self.problems.append("artifact %s/%s: %d bytes with sha256 %s, the guest sent %d bytes "
                                 "with sha256 %s (console garbled?)" % (
                                     w, f, len(data), hashlib.sha256(data).hexdigest()[:12], size, sha[:12]))
            return
        self.artifacts[(w, f)] = data

    def close(self):
        if self._art is not None:
            self.problems.append("artifact %s/%s: no end marker (log cut short)" % self._art[:2])
            self._art = None
        return self


def parse_line(line):
    """One log line (with or without output.yaml's leading "- ") -> dict or None."""
    line = line.strip()
    if line.startswith("- "):
        line = line[2:]
    if not line.startswith("{"):
        return None
    try:
        return yaml.load(line, Loader=_Loader)  # nosec - safe loader
    except yaml.YAMLError:
        return None


def read_lines(lines):
    log = JobLog()
    for line in lines:
        if not line.strip():
            continue
        log.lines += 1
        entry = parse_line(line)
        if entry is None:
            log.unparsed += 1
            continue
        log.feed(entry)
    return log.close()


def read_file(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return read_lines(f)
