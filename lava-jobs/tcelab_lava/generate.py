"""Matrix cells -> LAVA job files, each checked with LAVA's own schema.

`tcelab lava generate MATRIX --out DIR` writes
  DIR/jobs/<job_name>.yaml   one job per cell
  DIR/files/                 what the jobs download: the test definitions
                             (tcelab-lava-tests.tar.gz) and, for the emulated
                             lab and host, the zeroed NVMe disk images (gzip)
  DIR/index.json             the jobs with their cells

A workload matrix's jobs run the suite's workloads (tests/*.yaml); a host
validation matrix's jobs run validate-host/validate-host.yaml (one LAVA test
case per check of tcelab-validate-host) on each host it names.
"""
import gzip
import io
import json
import os
import shutil
import tarfile

import yaml

from . import VERSION
from . import matrix as matrix_mod
from .errors import LavaError

LAVA_JOBS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.dirname(LAVA_JOBS)
TEMPLATES = os.path.join(LAVA_JOBS, "templates")
TESTS = os.path.join(LAVA_JOBS, "tests")
FIO_DIR = os.path.join(REPO, "bench", "fio")
ENGINES_DIR = os.path.join(REPO, "guest-images", "engines")
VALIDATE_DIR = os.path.join(LAVA_JOBS, "validate-host")
TESTS_TARBALL = "tcelab-lava-tests.tar.gz"
# validate-host.yaml's step is ./lava-jobs/validate-host/run-validate-host
# (relative to the repository's root, as with `from: git`): the tarball keeps
# that path.
VALIDATE_DEF = "lava-jobs/validate-host/validate-host.yaml"


def validate_job(data, name):
    """LAVA's schema (lava_common.schemas.validate, strict); LavaError naming
    the job and the offending key on failure."""
    try:
        from lava_common.schemas import validate
        import voluptuous
    except ImportError as exc:
        raise LavaError("cannot import LAVA's schema (%s): install lava-common "
                        "(scripts/setup-lava) and run with /usr/bin/python3" % exc)
    if not isinstance(data, dict):
        raise LavaError("%s: not a LAVA job (a YAML mapping)" % name)
    try:
        validate(data, strict=True, extra_context_variables=[])
    except voluptuous.Invalid as exc:
        path = "".join("[%d]" % p if isinstance(p, int) else ".%s" % p for p in exc.path).lstrip(".")
        raise LavaError("%s: LAVA schema: %s%s" % (name, exc.msg, " at %s" % path if path else ""))


def validate_file(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except OSError as exc:
        raise LavaError("%s: cannot read: %s" % (path, exc.strerror))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise LavaError("%s%s: malformed YAML: %s" % (
            path, ":%d" % (mark.line + 1) if mark else "", getattr(exc, "problem", exc)))
    validate_job(data, path)
    return data


def _tar_add(tar, src, arcname, mode):
    info = tarfile.TarInfo(arcname)
    with open(src, "rb") as f:
        data = f.read()
    info.size = len(data)
    info.mode = mode
    info.mtime = 0
    info.uid = info.gid = 0
    info.uname = info.gname = "root"
    tar.addfile(info, io.BytesIO(data))


def build_tests_tarball(dest):
    """The test definitions, their scripts, the fio job files and the engines,
    as LAVA's `from: url` wants them (a .tar.gz whose root holds the YAML).
    Byte-identical for identical inputs."""
    entries = []
    for name in sorted(os.listdir(TESTS)):
        p = os.path.join(TESTS, name)
        if name.endswith(".yaml") and os.path.isfile(p):
            entries.append((p, name, 0o644))
    for sub, src_dir, pred in (("bin", os.path.join(TESTS, "bin"), lambda n: True),
                               ("fio", FIO_DIR, lambda n: n.endswith(".fio")),
                               ("engines", ENGINES_DIR, lambda n: True),
                               (os.path.dirname(VALIDATE_DEF), VALIDATE_DIR, lambda n: n != "README.md")):
        if not os.path.isdir(src_dir):
            raise LavaError("%s: missing (the source tree is incomplete)" % src_dir)
        for name in sorted(os.listdir(src_dir)):
            p = os.path.join(src_dir, name)
            if os.path.isfile(p) and pred(name):
                mode = 0o755 if os.access(p, os.X_OK) else 0o644
                entries.append((p, "%s/%s" % (sub, name), mode))
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for src, arc, mode in entries:
            _tar_add(tar, src, arc, mode)
    gz = io.BytesIO()
    with gzip.GzipFile(fileobj=gz, mode="wb", mtime=0, filename="") as g:
        g.write(raw.getvalue())
    _write_if_changed(dest, gz.getvalue())


def _write_if_changed(dest, data):
    try:
        with open(dest, "rb") as f:
            if f.read() == data:
                return
    except OSError:
        pass
    tmp = dest + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, dest)


def make_disk(dest, mib):
    """A zeroed raw disk of MIB MiB, gzip'd (LAVA decompresses it per job)."""
    if os.path.isfile(dest):
        return
    tmp = dest + ".tmp"
    zero = bytes(1 << 20)
    with open(tmp, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="",
                                               compresslevel=6) as g:
        for _ in range(mib):
            g.write(zero)
    os.replace(tmp, dest)


def _url(m, files_dir, name):
    if m.files_url:
        return m.files_url + name
    return "file://" + os.path.join(files_dir, name)


def _artifact_url(m, files_dir, value):
    """Kernel or ramdisk: a URL as is; a local file by file:// URL, or copied
    into files/ when the matrix says where files/ is served (files_url)."""
    if "://" in value:
        return value
    if not m.files_url:
        return "file://" + value
    name = os.path.basename(value)
    dest = os.path.join(files_dir, name)
    if not os.path.isfile(dest) or os.path.getsize(dest) != os.path.getsize(value) or \
            os.path.getmtime(dest) < os.path.getmtime(value):
        shutil.copyfile(value, dest + ".tmp")
        os.replace(dest + ".tmp", dest)
    return m.files_url + name


def _job_vars(m, cell, files_dir, metadata, tags, definitions):
    """The template variables every job has (templates/job.j2)."""
    k = cell["kernel"]
    if k["uname"]:
        definitions = [{"path": "kernel-check.yaml", "name": "kernel-check",
                        "parameters": {"EXPECT": k["uname"]}}] + definitions
    md = {"tcelab.version": VERSION, "tcelab.matrix": m.name, "tcelab.cell": cell["id"],
          "tcelab.kernel": k["name"]}
    md.update(metadata)
    md.update({"tcelab.repetition": str(cell["repetition"]), "tcelab.environment": m.environment,
               "tcelab.host_kind": md.get("tcelab.host_kind", m.host_kind), "tcelab.kind": m.kind})
    v = {
        "matrix_file": os.path.relpath(m.path, REPO) if m.path.startswith(REPO + os.sep) else m.path,
        "device_type": m.device_type,
        "job_name": "tcelab.%s.%s" % (m.name, cell["id"]),
        "priority": m.priority, "visibility": m.visibility,
        "tags": list(dict.fromkeys(m.tags + k["tags"] + tags)),
        "metadata": md, "timeouts": m.timeouts,
        "tests_url": _url(m, files_dir, TESTS_TARBALL),
        "definitions": definitions, "login": m.login,
    }
    if m.kind == "qemu-pseries":
        v["kernel"] = {"kernel": _artifact_url(m, files_dir, k["kernel"]),
                       "ramdisk": _artifact_url(m, files_dir, k["ramdisk"])}
        v["disks"] = {"dut": _url(m, files_dir, "dut-%dm.img.gz" % m.disks["dut_mib"])}
    return v


def cell_vars(m, cell, files_dir):
    """The template variables of one cell."""
    if m.validate:
        return validate_vars(m, cell, files_dir)
    dev, wl = cell["device"], cell["workload"]
    settings = {
        "TCELAB_DUT": dev["dut"], "TCELAB_FIO_BDF": dev["fio_bdf"],
        "TCELAB_STEP_TIMEOUT": str(m.step_timeout),
        "TCELAB_ENVIRONMENT": m.environment, "TCELAB_HOST_KIND": m.host_kind,
        "TCELAB_TCE_MODE": cell["tce_mode"],
        "TCELAB_IPERF_SERVER": m.iperf["server"], "TCELAB_IPERF_PORT": m.iperf["port"],
    }
    params = {"NAME": wl["name"], "ARGS": " ".join(wl["args"])}
    params.update({key: v for key, v in settings.items() if v})
    definitions = [{"path": "%s.yaml" % wl["engine"], "name": wl["name"], "parameters": params}]

    # No "quiet": LAVA waits for the kernel's "Linux version" banner (a notice)
    # before it looks for the prompt; init lowers the console log level later.
    cmdline = ["console=hvc0"]
    for key, v in (("dut", dev["dut"] or "0001:00:00.0"), ("fio_bdf", dev["fio_bdf"] or "0000:00:02.0"),
                   ("net_addr", m.network["addr"]), ("net_gw", m.network["gw"]),
                   ("step_timeout", str(m.step_timeout)), ("environment", m.environment),
                   ("host_kind", m.host_kind), ("tce_mode", cell["tce_mode"]),
                   ("iperf_server", m.iperf["server"]), ("iperf_port", m.iperf["port"])):
        if v:
            cmdline.append("tcelab.%s=%s" % (key, v))

    metadata = {
        "tcelab.tce_mode": cell["tce_mode"],
        "tcelab.device": dev["name"], "tcelab.workload": wl["name"],
        "tcelab.engine": wl["engine"], "tcelab.args": " ".join(wl["args"]),
    }
    v = _job_vars(m, cell, files_dir, metadata, dev["tags"], definitions)
    v.update({"netdevice": "user", "kernel_cmdline": " ".join(cmdline)})
    if m.kind == "qemu-pseries":
        v["disks"]["fio"] = _url(m, files_dir, "fio-%dm.img.gz" % m.disks["fio_mib"])
    return v


def validate_vars(m, cell, files_dir):
    """The template variables of one cell of a host validation matrix: one
    host, validate-host.yaml with the host's parameters."""
    host = cell["host"]
    p = host["params"]
    params = {"DEVICES": " ".join(host["devices"])}
    params.update({param: str(p[key]) for key, param, _ in matrix_mod.VALIDATE_PARAMS})
    definitions = [{"path": VALIDATE_DEF, "name": "validate-host", "parameters": params}]
    metadata = {"tcelab.host": host["name"], "tcelab.devices": params["DEVICES"],
                "tcelab.validate": "tcelab-validate-host", "tcelab.host_kind": host["host_kind"]}
    if host["machine"]:
        metadata["tcelab.machine"] = host["machine"]
    v = _job_vars(m, cell, files_dir, metadata, host["tags"], definitions)
    if m.kind == "qemu-pseries":
        machine, cpu, _, dut = matrix_mod.EMU_HOSTS[host["machine"]]
        # The L1 image's /init (host/tests/l1-init), scenario "lava": kvm_hv
        # and VFIO loaded, the device reserved for vfio-pci, a shell with PS1
        # 'tcelab-host# '. No "quiet": LAVA waits for the "Linux version" banner.
        v["qemu"] = {"machine": machine, "cpu": cpu,
                     "cmdline": "console=hvc0 tcelab.scenario=lava tcelab.dut=%s" % dut}
    return v


def _environment():
    try:
        import jinja2
    except ImportError as exc:
        raise LavaError("cannot import jinja2 (%s): apt-get install python3-jinja2" % exc)
    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES),
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                              autoescape=False)


def render_cell(m, cell, files_dir, env=None):
    """(job_name, YAML text, parsed job) for one cell; raises LavaError."""
    import jinja2
    env = env or _environment()
    v = cell_vars(m, cell, files_dir)
    try:
        text = env.get_template(m.template).render(**v)
    except jinja2.TemplateError as exc:
        raise LavaError("%s: template %s: %s" % (m.path, m.template, exc))
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise LavaError("%s: template %s rendered malformed YAML for cell %s: %s"
                        % (m.path, m.template, cell["id"], exc))
    validate_job(data, "%s: cell %s (template %s)" % (m.path, cell["id"], m.template))
    return v["job_name"], text, data


def generate(matrix_path, out_dir, check_files=True, log=None):
    m = matrix_mod.load(matrix_path, fio_dir=FIO_DIR, check_files=check_files)
    jobs_dir = os.path.join(out_dir, "jobs")
    files_dir = os.path.abspath(os.path.join(out_dir, "files"))
    try:
        os.makedirs(jobs_dir, exist_ok=True)
        os.makedirs(files_dir, exist_ok=True)
    except OSError as exc:
        raise LavaError("%s: cannot create: %s" % (out_dir, exc.strerror))
    env = _environment()
    # Render and check every cell before writing any job.
    rendered = [(cell,) + render_cell(m, cell, files_dir, env) for cell in m.cells]
    build_tests_tarball(os.path.join(files_dir, TESTS_TARBALL))
    if m.kind == "qemu-pseries":
        for disk, mib in sorted(m.disks.items()):
            make_disk(os.path.join(files_dir, "%s-%dm.img.gz" % (disk.replace("_mib", ""), mib)), mib)
    index = {"schema": "tcelab-lava-jobs/1", "matrix": m.path, "name": m.name, "kind": m.kind,
             "files_url": m.files_url or "file://" + files_dir + "/", "jobs": []}
    if m.validate:
        index["validate"] = True
    for cell, job_name, text, _ in rendered:
        path = os.path.join(jobs_dir, job_name + ".yaml")
        _write_if_changed(path, text.encode("utf-8"))
        entry = {"file": os.path.relpath(path, out_dir), "job_name": job_name, "cell": cell["id"]}
        if m.validate:
            entry.update({"host": cell["host"]["name"], "devices": cell["host"]["devices"]})
        else:
            entry.update({"workload": cell["workload"]["name"], "engine": cell["workload"]["engine"]})
        index["jobs"].append(entry)
    _write_if_changed(os.path.join(out_dir, "index.json"),
                      (json.dumps(index, indent=2) + "\n").encode("utf-8"))
    if log:
        log("%d job(s) from %s in %s" % (len(rendered), matrix_path, jobs_dir))
    return index
