"""The matrix description (lava-jobs/README.md, "Matrix files") and its cells.

A cell is one job: one kernel (or patch), TCE mode, device, workload and
repetition. Every problem is reported with the matrix file and line."""
import itertools
import os
import re

from . import yamlpos
from .errors import LavaError, where

KINDS = {
    # kind: default device type, environment, host kind, template
    "qemu-pseries": ("qemu", "emulated", "pseries-tcg", "qemu-pseries.yaml.j2"),
    "powernv": ("tcelab-powernv", "hardware", "powernv", "powernv.yaml.j2"),
    "ssh": ("ssh", "hardware", None, "ssh.yaml.j2"),
}
ENGINES = ("dma-map", "fio", "iperf3")
TCE_MODES = ("in-kernel", "userspace", "emulated", "none", "unknown")
NAME_RE = re.compile(r"^[a-z0-9._-]+$")
BDF_RE = re.compile(r"^[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-7]$")
# Characters a LAVA test parameter can carry: LAVA writes NAME='VALUE' into a
# shell script, and the engine's arguments are split on spaces.
ARG_RE = re.compile(r"^[A-Za-z0-9._,:=/+@%-]+$")
TOP_KEYS = {
    "name", "kind", "device_type", "priority", "visibility", "tags", "timeouts",
    "files_url", "kernels", "tce_modes", "devices", "workloads", "repetitions",
    "network", "iperf", "step_timeout", "host_kind", "environment", "login", "disks",
}
DEFAULT_TIMEOUTS = {"job": 30, "action": 10, "boot": 3, "test": 20}


class Matrix:
    """A checked matrix: attributes as in the file, defaults filled in."""

    def __init__(self, path):
        self.path = os.path.abspath(path)
        self.dir = os.path.dirname(self.path)
        self.cells = []


class _Checker:
    def __init__(self, path):
        self.path = path

    def fail(self, line, msg):
        raise LavaError("%s: %s" % (where(self.path, line), msg))

    def mapping(self, value, what, line, keys=None, required=()):
        if not isinstance(value, dict):
            self.fail(line, "%s must be a mapping" % what)
        for k in value:
            if keys is not None and k not in keys:
                self.fail(value.line_of(k), "%s: unknown key '%s' (known: %s)"
                          % (what, k, ", ".join(sorted(keys))))
        for k in required:
            if k not in value:
                self.fail(value.line, "%s: '%s' is missing" % (what, k))
        return value

    def sequence(self, value, what, line, nonempty=True):
        if not isinstance(value, list):
            self.fail(line, "%s must be a list" % what)
        if nonempty and not value:
            self.fail(line, "%s is empty" % what)
        return value

    def string(self, value, what, line, pattern=None, hint=""):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(line, "%s must be a string" % what)
        value = str(value)
        if pattern is not None and not pattern.match(value):
            self.fail(line, "%s '%s' is not valid%s" % (what, value, hint))
        return value

    def integer(self, value, what, line, low=1, high=None):
        if isinstance(value, bool) or not isinstance(value, int) or value < low or \
                (high is not None and value > high):
            self.fail(line, "%s must be a whole number%s" % (
                what, " from %d to %d" % (low, high) if high else " >= %d" % low))
        return value


def _resolve(m, value):
    """A URL as is; a path relative to the matrix file, made absolute."""
    if re.match(r"^[a-z][a-z0-9+.-]*://", value):
        return value
    return os.path.normpath(os.path.join(m.dir, value))


def _read_plan(c, path, line):
    """Plan lines (docs/lab-protocol.md): NAME ENGINE ARG..."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except OSError as exc:
        c.fail(line, "plan %s: cannot read: %s" % (path, exc.strerror))
    out = []
    for n, text in enumerate(lines, 1):
        words = text.split()
        if not words or words[0].startswith("#"):
            continue
        if len(words) < 2:
            raise LavaError("%s: plan line without an engine" % where(path, n))
        out.append((words[0], words[1], words[2:], path, n))
    return out


def load(path, fio_dir=None, check_files=True):
    """Load and check a matrix file; returns a Matrix with .cells."""
    c = _Checker(path)
    doc = yamlpos.load_file(path)
    m = Matrix(path)
    c.mapping(doc, "the matrix", 1, TOP_KEYS, required=("name", "kind", "kernels", "devices", "workloads"))
    L = doc.line_of

    m.name = c.string(doc["name"], "name", L("name"), NAME_RE, " (want [a-z0-9._-]+)")
    m.kind = c.string(doc["kind"], "kind", L("kind"))
    if m.kind not in KINDS:
        c.fail(L("kind"), "unknown kind '%s' (known: %s)" % (m.kind, ", ".join(KINDS)))
    dt, env, host_kind, m.template = KINDS[m.kind]
    m.device_type = c.string(doc.get("device_type", dt), "device_type", L("device_type"),
                             re.compile(r"^[A-Za-z0-9._-]+$"))
    if m.kind == "qemu-pseries" and m.device_type != "qemu":
        c.fail(L("device_type"), "kind qemu-pseries runs on LAVA's 'qemu' device type, not '%s'" % m.device_type)
    m.environment = c.string(doc.get("environment", env), "environment", L("environment"),
                             re.compile(r"^(emulated|hardware|unknown)$"), " (emulated, hardware or unknown)")
    hk = doc.get("host_kind", host_kind)
    if hk is None:
        c.fail(doc.line, "kind %s needs host_kind (e.g. powervm, powernv, nested-hv)" % m.kind)
    m.host_kind = c.string(hk, "host_kind", L("host_kind"), NAME_RE)
    m.priority = doc.get("priority", "medium")
    if m.priority not in ("high", "medium", "low") and not (
            isinstance(m.priority, int) and not isinstance(m.priority, bool) and 0 <= m.priority <= 100):
        c.fail(L("priority"), "priority must be high, medium, low or 0..100")
    m.visibility = doc.get("visibility", "public")
    if m.visibility not in ("public", "personal"):
        c.fail(L("visibility"), "visibility must be public or personal")
    m.tags = [c.string(t, "tags[%d]" % i, doc["tags"].line_of(i))
              for i, t in enumerate(c.sequence(doc.get("tags", []), "tags", L("tags"), nonempty=False))]

    m.timeouts = dict(DEFAULT_TIMEOUTS)
    if "timeouts" in doc:
        t = c.mapping(doc["timeouts"], "timeouts", L("timeouts"), set(DEFAULT_TIMEOUTS))
        for k, v in t.items():
            m.timeouts[k] = c.integer(v, "timeouts.%s (minutes)" % k, t.line_of(k), 1, 24 * 60)
    m.step_timeout = c.integer(doc.get("step_timeout", 600), "step_timeout (seconds)", L("step_timeout"), 1)
    m.files_url = doc.get("files_url")
    if m.files_url is not None:
        m.files_url = c.string(m.files_url, "files_url", L("files_url"),
                               re.compile(r"^(https?|file)://\S+$"), " (an http(s):// or file:// URL)")
        if not m.files_url.endswith("/"):
            m.files_url += "/"

    # kernels: the kernel/patch axis
    m.kernels = []
    ks = c.sequence(doc["kernels"], "kernels", L("kernels"))
    for i, k in enumerate(ks):
        what = "kernels[%d]" % i
        kl = ks.line_of(i)
        c.mapping(k, what, kl, {"name", "kernel", "ramdisk", "uname", "tags"}, required=("name",))
        kern = {"name": c.string(k["name"], what + ".name", k.line_of("name"), NAME_RE),
                "uname": c.string(k["uname"], what + ".uname", k.line_of("uname")) if "uname" in k else "",
                "tags": [c.string(t, what + ".tags", k.line_of("tags")) for t in
                         c.sequence(k.get("tags", []), what + ".tags", k.line_of("tags"), nonempty=False)]}
        for f in ("kernel", "ramdisk"):
            if m.kind == "qemu-pseries" and f not in k:
                c.fail(k.line, "%s: '%s' is missing (the emulated lab boots it)" % (what, f))
            if f in k:
                kern[f] = _resolve(m, c.string(k[f], "%s.%s" % (what, f), k.line_of(f)))
                if check_files and "://" not in kern[f] and not os.path.isfile(kern[f]):
                    c.fail(k.line_of(f), "%s.%s: no such file %s (build the guest image: "
                           "cmake --build build --target guest-image)" % (what, f, kern[f]))
        if any(x["name"] == kern["name"] for x in m.kernels):
            c.fail(kl, "%s: duplicate name '%s'" % (what, kern["name"]))
        m.kernels.append(kern)

    default_modes = ["emulated"] if m.kind == "qemu-pseries" else None
    modes = doc.get("tce_modes", default_modes)
    if modes is None:
        c.fail(doc.line, "kind %s needs tce_modes (from: %s)" % (m.kind, ", ".join(TCE_MODES)))
    modes = c.sequence(modes, "tce_modes", L("tce_modes"))
    m.tce_modes = []
    for i, t in enumerate(modes):
        t = c.string(t, "tce_modes[%d]" % i, modes.line_of(i) if hasattr(modes, "line_of") else L("tce_modes"))
        if t not in TCE_MODES:
            c.fail(L("tce_modes"), "unknown TCE mode '%s' (known: %s)" % (t, ", ".join(TCE_MODES)))
        if m.kind == "qemu-pseries" and t != "emulated":
            c.fail(L("tce_modes"), "the emulated lab has no KVM: its TCE mode is 'emulated', not '%s'" % t)
        m.tce_modes.append(t)

    m.devices = []
    ds = c.sequence(doc["devices"], "devices", L("devices"))
    for i, d in enumerate(ds):
        what = "devices[%d]" % i
        c.mapping(d, what, ds.line_of(i), {"name", "dut", "fio_bdf", "tags"}, required=("name",))
        dev = {"name": c.string(d["name"], what + ".name", d.line_of("name"), NAME_RE),
               "tags": [c.string(t, what + ".tags", d.line_of("tags")) for t in
                        c.sequence(d.get("tags", []), what + ".tags", d.line_of("tags"), nonempty=False)]}
        for f in ("dut", "fio_bdf"):
            dev[f] = c.string(d[f], "%s.%s" % (what, f), d.line_of(f), BDF_RE,
                              " (a PCI address DDDD:BB:DD.F, lower-case hex)") if f in d else ""
        if m.kind == "qemu-pseries":
            want = {"dut": "0001:00:00.0", "fio_bdf": "0000:00:02.0"}
            for f, v in want.items():
                if dev[f] and dev[f] != v:
                    c.fail(d.line_of(f), "%s.%s: the emulated lab's %s is at %s, not %s"
                           % (what, f, "device under test" if f == "dut" else "fio NVMe", v, dev[f]))
        if any(x["name"] == dev["name"] for x in m.devices):
            c.fail(ds.line_of(i), "%s: duplicate name '%s'" % (what, dev["name"]))
        m.devices.append(dev)

    m.workloads = []
    ws = c.sequence(doc["workloads"], "workloads", L("workloads"))
    for i, w in enumerate(ws):
        what = "workloads[%d]" % i
        wl = ws.line_of(i)
        c.mapping(w, what, wl, {"plan", "only", "name", "engine", "args"})
        if "plan" in w:
            if {"name", "engine", "args"} & set(w):
                c.fail(wl, "%s: either 'plan' (with 'only') or 'name'/'engine'/'args'" % what)
            plan = _resolve(m, c.string(w["plan"], what + ".plan", w.line_of("plan")))
            steps = _read_plan(c, plan, w.line_of("plan"))
            if "only" in w:
                only = [c.string(x, what + ".only", w.line_of("only"))
                        for x in c.sequence(w["only"], what + ".only", w.line_of("only"))]
                names = [s[0] for s in steps]
                for x in only:
                    if x not in names:
                        c.fail(w.line_of("only"), "%s.only: no step '%s' in %s (it has: %s)"
                               % (what, x, plan, ", ".join(names)))
                steps = [s for s in steps if s[0] in only]
            for name, engine, args, p, n in steps:
                m.workloads.append(_workload(m, name, engine, args, p, {"*": n}, fio_dir))
        else:
            if "only" in w:
                c.fail(w.line_of("only"), "%s: 'only' goes with 'plan'" % what)
            for f in ("name", "engine"):
                if f not in w:
                    c.fail(wl, "%s: '%s' is missing" % (what, f))
            args = w.get("args", [])
            if isinstance(args, str):
                args = args.split()
            args = [c.string(a, what + ".args", w.line_of("args"))
                    for a in c.sequence(args, what + ".args", w.line_of("args"), nonempty=False)]
            m.workloads.append(_workload(
                m, c.string(w["name"], what + ".name", w.line_of("name")),
                c.string(w["engine"], what + ".engine", w.line_of("engine")), args,
                c.path, {"name": w.line_of("name"), "engine": w.line_of("engine"),
                         "args": w.line_of("args")}, fio_dir))
    seen = set()
    for w in m.workloads:
        if w["name"] in seen:
            raise LavaError("%s: duplicate workload name '%s'" % (where(w["file"], w["line"]), w["name"]))
        seen.add(w["name"])

    m.repetitions = c.integer(doc.get("repetitions", 1), "repetitions", L("repetitions"), 1, 1000)

    net_default = {"addr": "10.0.2.15/24", "gw": "10.0.2.2"} if m.kind == "qemu-pseries" else {}
    net = doc.get("network", net_default) or {}
    c.mapping(net, "network", L("network"), {"addr", "gw"})
    m.network = {"addr": str(net.get("addr", "")), "gw": str(net.get("gw", ""))}
    ip = doc.get("iperf") or {}
    c.mapping(ip, "iperf", L("iperf"), {"server", "port"})
    m.iperf = {"server": c.string(ip["server"], "iperf.server", ip.line_of("server"))
               if "server" in ip else "",
               "port": str(c.integer(ip["port"], "iperf.port", ip.line_of("port"), 1, 65535))
               if "port" in ip else ""}
    disks = doc.get("disks") or {}
    c.mapping(disks, "disks", L("disks"), {"dut_mib", "fio_mib"})
    m.disks = {"dut_mib": c.integer(disks.get("dut_mib", 64), "disks.dut_mib", L("disks"), 1, 4096),
               "fio_mib": c.integer(disks.get("fio_mib", 256), "disks.fio_mib", L("disks"), 1, 16384)}

    login = doc.get("login") or {}
    c.mapping(login, "login", L("login"), {"prompt", "username", "password", "prompts"})
    m.login = {"prompt": str(login.get("prompt", "login:")),
               "username": str(login.get("username", "root")),
               "password": str(login.get("password", "")),
               "prompts": [str(p) for p in login.get("prompts", ["root@[^:]*:[^#]*# "])]}

    for kern, mode, dev, wl, rep in itertools.product(
            m.kernels, m.tce_modes, m.devices, m.workloads, range(1, m.repetitions + 1)):
        cell_id = ".".join([kern["name"], mode, dev["name"], wl["name"], "r%d" % rep])
        m.cells.append({"id": cell_id, "kernel": kern, "tce_mode": mode, "device": dev,
                        "workload": wl, "repetition": rep})
    return m


def _workload(m, name, engine, args, path, lines, fio_dir):
    """One workload, checked; lines: {"name"|"engine"|"args"|"*": line}."""
    def fail(what, msg):
        raise LavaError("%s: %s" % (where(path, lines.get(what, lines.get("*"))), msg))
    if not NAME_RE.match(name):
        fail("name", "workload name '%s' is not valid (want [a-z0-9._-]+)" % name)
    if engine not in ENGINES:
        fail("engine", "workload %s: unknown engine '%s' (known: %s)" % (name, engine, ", ".join(ENGINES)))
    for a in args:
        if not ARG_RE.match(a):
            fail("args", "workload %s: argument '%s' has characters a LAVA test parameter cannot carry "
                 "(allowed: letters, digits and ._,:=/+@%%-)" % (name, a))
    if engine == "fio":
        if len(args) != 1:
            fail("args", "workload %s: the fio engine takes one job file name (got %d arguments)"
                 % (name, len(args)))
        if fio_dir and not os.path.isfile(os.path.join(fio_dir, args[0])):
            fail("args", "workload %s: no fio job file %s in %s" % (name, args[0], fio_dir))
    return {"name": name, "engine": engine, "args": list(args), "file": path,
            "line": lines.get("name", lines.get("*"))}
