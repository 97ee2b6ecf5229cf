"""The matrix description (lava-jobs/README.md, "Matrix files") and its cells.

A workload matrix's cell is one job: one kernel (or patch), TCE mode,
device, workload and repetition. A host validation matrix (`validate:`) has
hosts instead: its cell is one kernel, host and repetition, and its job runs
validate-host.yaml. Every problem is reported with the matrix file and line."""
import itertools
import os
import re

from . import yamlpos
from .errors import LavaError, where

KINDS = {
    # kind: default device type, environment, host kind, template, template
    # of a host validation matrix. On hardware the host is the same either
    # way (booted by LAVA, or reached over ssh); only what runs differs. The
    # emulated host is another machine than the emulated lab's guest.
    "qemu-pseries": ("qemu", "emulated", "pseries-tcg", "qemu-pseries.yaml.j2", "validate-qemu.yaml.j2"),
    "powernv": ("tcelab-powernv", "hardware", "powernv", "powernv.yaml.j2", "powernv.yaml.j2"),
    "ssh": ("ssh", "hardware", None, "ssh.yaml.j2", "ssh.yaml.j2"),
}
# The emulated POWER KVM hosts a validation matrix can boot (host/tests/run-emu):
# machine: QEMU -machine, -cpu, host kind, the device under test (alone on PHB 1).
EMU_HOSTS = {
    "pseries-hv": ("pseries,x-vof=on,cap-nested-hv=on", "POWER9", "nested-hv", "0001:00:00.0"),
    "pseries-papr": ("pseries,x-vof=on,cap-nested-papr=on", "POWER10", "nested-papr", "0001:00:00.0"),
}
# validate-host.yaml's parameters: matrix key, LAVA parameter, default.
VALIDATE_PARAMS = (("cycles", "CYCLES", 20), ("guest_mem", "GUEST_MEM", "1G"),
                   ("binary", "BINARY", "tcelab-validate-host"), ("extra", "EXTRA", ""))
SIZE_RE = re.compile(r"^[0-9]+([kKmMgGtT](i?B)?)?$")
PATH_RE = re.compile(r"^[A-Za-z0-9._/+-]+$")
# Keys of a workload matrix only, and of a validation matrix only.
WORKLOAD_KEYS = {"tce_modes", "devices", "workloads", "network", "iperf", "step_timeout"}
VALIDATE_KEYS = {"validate", "hosts"}
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
    "validate", "hosts",
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
    c.mapping(doc, "the matrix", 1, TOP_KEYS, required=("name", "kind", "kernels"))
    L = doc.line_of
    m.validate = "validate" in doc
    for k in sorted(WORKLOAD_KEYS if m.validate else VALIDATE_KEYS):
        if k in doc:
            c.fail(L(k), "'%s' %s" % (k, "does not go in a host validation matrix (one with 'validate:'; "
                                         "its devices are hosts[].devices)" if m.validate else
                                      "goes with 'validate:' (a host validation matrix)"))
    for k in () if m.validate else ("devices", "workloads"):
        if k not in doc:
            c.fail(doc.line, "the matrix: '%s' is missing (or 'validate:' and 'hosts:' for a host "
                             "validation matrix)" % k)

    m.name = c.string(doc["name"], "name", L("name"), NAME_RE, " (want [a-z0-9._-]+)")
    m.kind = c.string(doc["kind"], "kind", L("kind"))
    if m.kind not in KINDS:
        c.fail(L("kind"), "unknown kind '%s' (known: %s)" % (m.kind, ", ".join(KINDS)))
    dt, env, host_kind, m.template, validate_template = KINDS[m.kind]
    if m.validate:
        m.template = validate_template
    m.device_type = c.string(doc.get("device_type", dt), "device_type", L("device_type"),
                             re.compile(r"^[A-Za-z0-9._-]+$"))
    if m.kind == "qemu-pseries" and m.device_type != "qemu":
        c.fail(L("device_type"), "kind qemu-pseries runs on LAVA's 'qemu' device type, not '%s'" % m.device_type)
    m.environment = c.string(doc.get("environment", env), "environment", L("environment"),
                             re.compile(r"^(emulated|hardware|unknown)$"), " (emulated, hardware or unknown)")
    hk = doc.get("host_kind", None if m.validate and m.kind == "qemu-pseries" else host_kind)
    if hk is None and not m.validate:
        c.fail(doc.line, "kind %s needs host_kind (e.g. powervm, powernv, nested-hv)" % m.kind)
    # a validation matrix's hosts may name their own (emulated: their machine's)
    m.host_kind = c.string(hk, "host_kind", L("host_kind"), NAME_RE) if hk is not None else None
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
        for k in ("action", "boot", "test"):
            if m.timeouts[k] > m.timeouts["job"]:
                c.fail(t.line_of(k) if k in t else t.line, "timeouts.%s (%d minutes%s) is longer than "
                       "timeouts.job (%d): LAVA refuses the job" % (
                           k, m.timeouts[k], "" if k in t else ", the default", m.timeouts["job"]))
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
                    c.fail(k.line_of(f), "%s.%s: no such file %s (%s)" % (
                        what, f, kern[f], "build the L1 host image: cd build && ctest -R "
                        "emu.validate_host_image" if m.validate else
                        "build the guest image: cmake --build build --target guest-image"))
        if any(x["name"] == kern["name"] for x in m.kernels):
            c.fail(kl, "%s: duplicate name '%s'" % (what, kern["name"]))
        m.kernels.append(kern)

    if m.validate:
        _load_validation(c, doc, m)
        return m

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

    _load_login(c, doc, m)

    for kern, mode, dev, wl, rep in itertools.product(
            m.kernels, m.tce_modes, m.devices, m.workloads, range(1, m.repetitions + 1)):
        cell_id = ".".join([kern["name"], mode, dev["name"], wl["name"], "r%d" % rep])
        m.cells.append({"id": cell_id, "kernel": kern, "tce_mode": mode, "device": dev,
                        "workload": wl, "repetition": rep})
    return m


def _load_validation(c, doc, m):
    """The rest of a host validation matrix: validate:, hosts:, repetitions,
    login, disks; its cells are kernel x host x repetition."""
    L = doc.line_of
    v = c.mapping(doc["validate"] if doc["validate"] is not None else yamlpos.PosDict(), "validate", L("validate"),
                  {k for k, _, _ in VALIDATE_PARAMS})
    defaults = _validate_params(c, v, "validate", {k: d for k, _, d in VALIDATE_PARAMS})
    if "hosts" not in doc:
        c.fail(doc.line, "the matrix: 'hosts' is missing (the hosts a validation matrix validates)")
    m.hosts = []
    hs = c.sequence(doc["hosts"], "hosts", L("hosts"))
    emu = m.kind == "qemu-pseries"
    for i, h in enumerate(hs):
        what = "hosts[%d]" % i
        keys = {"name", "devices", "tags", "host_kind"} | {k for k, _, _ in VALIDATE_PARAMS}
        c.mapping(h, what, hs.line_of(i), keys | {"machine"} if emu else keys,
                  required=("name", "machine") if emu else ("name",))
        host = {"name": c.string(h["name"], what + ".name", h.line_of("name"), NAME_RE, " (want [a-z0-9._-]+)"),
                "tags": [c.string(t, what + ".tags", h.line_of("tags")) for t in
                         c.sequence(h.get("tags", []), what + ".tags", h.line_of("tags"), nonempty=False)],
                "machine": None}
        dut = None
        if emu:
            host["machine"] = c.string(h["machine"], what + ".machine", h.line_of("machine"))
            if host["machine"] not in EMU_HOSTS:
                c.fail(h.line_of("machine"), "%s.machine: unknown emulated host '%s' (known: %s)"
                       % (what, host["machine"], ", ".join(EMU_HOSTS)))
            dut = EMU_HOSTS[host["machine"]][3]
        devs = h.get("devices", [dut] if dut else [])
        if isinstance(devs, str):
            devs = devs.split()
        host["devices"] = [c.string(d, what + ".devices", h.line_of("devices"), BDF_RE,
                                    " (a PCI address DDDD:BB:DD.F, lower-case hex)")
                           for d in c.sequence(devs, what + ".devices", h.line_of("devices"), nonempty=False)]
        if len(set(host["devices"])) != len(host["devices"]):
            c.fail(h.line_of("devices"), "%s.devices: an address is named twice" % what)
        if emu and host["devices"] != [dut]:
            c.fail(h.line_of("devices"), "%s.devices: the emulated %s host has one device under test, %s"
                   % (what, host["machine"], dut))
        hk = h.get("host_kind") or m.host_kind or (EMU_HOSTS[host["machine"]][2] if emu else None)
        if hk is None:
            c.fail(h.line, "%s: kind %s needs host_kind (here or for the whole matrix; e.g. powervm, "
                           "powernv)" % (what, m.kind))
        host["host_kind"] = c.string(hk, what + ".host_kind", h.line_of("host_kind"), NAME_RE)
        host["params"] = _validate_params(c, h, what, defaults)
        if any(x["name"] == host["name"] for x in m.hosts):
            c.fail(hs.line_of(i), "%s: duplicate name '%s'" % (what, host["name"]))
        m.hosts.append(host)

    m.repetitions = c.integer(doc.get("repetitions", 1), "repetitions", L("repetitions"), 1, 1000)
    if "disks" in doc and not emu:
        c.fail(L("disks"), "disks: a %s host brings its own devices (only the emulated host has disks)" % m.kind)
    disks = doc.get("disks") or {}
    c.mapping(disks, "disks", L("disks"), {"dut_mib"})
    m.disks = {"dut_mib": c.integer(disks.get("dut_mib", 64), "disks.dut_mib", L("disks"), 1, 4096)}
    _load_login(c, doc, m)
    for kern, host, rep in itertools.product(m.kernels, m.hosts, range(1, m.repetitions + 1)):
        cell_id = ".".join([kern["name"], host["name"], "validate-host", "r%d" % rep])
        m.cells.append({"id": cell_id, "kernel": kern, "host": host, "repetition": rep})


def _validate_params(c, where_map, what, defaults):
    """cycles/guest_mem/binary/extra of validate: or of one host, checked,
    over the defaults -> {key: value}."""
    out = dict(defaults)
    L = where_map.line_of
    if "cycles" in where_map:
        out["cycles"] = c.integer(where_map["cycles"], what + ".cycles", L("cycles"), 1, 100000)
    if "guest_mem" in where_map:
        out["guest_mem"] = c.string(where_map["guest_mem"], what + ".guest_mem", L("guest_mem"), SIZE_RE,
                                    " (a size such as 1G, 512M)")
    if "binary" in where_map:
        out["binary"] = c.string(where_map["binary"], what + ".binary", L("binary"), PATH_RE,
                                 " (a command or path: letters, digits and ._/+-)")
    if "extra" in where_map:
        extra = where_map["extra"]
        if isinstance(extra, list):
            extra = " ".join(c.string(x, what + ".extra", L("extra")) for x in extra)
        extra = c.string(extra if extra is not None else "", what + ".extra", L("extra"))
        for word in extra.split():
            if not ARG_RE.match(word):
                c.fail(L("extra"), "%s.extra: '%s' has characters a LAVA test parameter cannot carry "
                       "(allowed: letters, digits and ._,:=/+@%%-)" % (what, word))
        out["extra"] = " ".join(extra.split())
    return out


def _load_login(c, doc, m):
    L = doc.line_of
    login = doc.get("login") or {}
    c.mapping(login, "login", L("login"), {"prompt", "username", "password", "prompts"})
    m.login = {"prompt": str(login.get("prompt", "login:")),
               "username": str(login.get("username", "root")),
               "password": str(login.get("password", "")),
               "prompts": [str(p) for p in login.get("prompts", ["root@[^:]*:[^#]*# "])]}


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
