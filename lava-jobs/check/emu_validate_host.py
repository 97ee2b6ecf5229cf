"""emu test: a host validation job through LAVA's lava-run (`tcelab lava run-local`).

The generator renders a validation matrix for the emulated pseries nested-HV
host; lava-run boots the emu tests' L1 host image (build/host/tests/l1-image,
fixture emu.validate_host_image) whose /init runs scenario "lava", and LAVA
runs lava-jobs/validate-host/validate-host.yaml on it. From what LAVA
recorded: exactly one test case per KTAP check the tool printed, each with
its KTAP result (ok pass, not ok fail, SKIP skip, XFAIL unknown), among them
kvm.dev-kvm pass, dev.0001-00-00.0.tce.cycles pass, platform.firmware
unknown (XFAIL in emulation), and the case validate-host pass; the
parameters reached the tool; the collector's job.json says the same.
Needs root, lava-run, qemu-system-ppc64 and the L1 image; exits 77 (skipped)
without them, or when the image's /init has no "lava" scenario."""
import gzip
import json
import os
import re
import shutil
import tempfile

import common
from tcelab_lava import generate, lavalog, runlocal

IMAGE = os.environ.get("TCELAB_L1_IMAGE") or os.path.join(common.REPO, "build", "host", "tests", "l1-image")
DUT = "0001:00:00.0"
CYCLES = 3

MATRIX = """\
name: emu-vh-check
kind: qemu-pseries
validate:
  cycles: %(cycles)d
  guest_mem: 512M
kernels:
  - name: l1
    kernel: %(image)s/vmlinux
    ramdisk: %(image)s/l1.cpio.gz
hosts:
  - name: nested-hv
    machine: pseries-hv
    devices: ["%(dut)s"]
disks: {dut_mib: 8}
timeouts: {job: 6, action: 3, boot: 2, test: 3}
"""


skip, fail = common.skip, common.fail


def cpio_file(path, want):
    """The contents of one file of a gzip'd newc cpio archive, or None."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    off = 0
    while off + 110 <= len(data) and data[off:off + 6] in (b"070701", b"070702"):
        size = int(data[off + 54:off + 62], 16)
        nsize = int(data[off + 94:off + 102], 16)
        name = data[off + 110:off + 110 + nsize - 1].decode("utf-8", "replace")
        start = (off + 110 + nsize + 3) & ~3
        if name == "TRAILER!!!":
            break
        if name == want:
            return data[start:start + size]
        off = (start + size + 3) & ~3
    return None


def tool_parameters(log_path):
    """The "parameters" of the result JSON run-validate-host printed."""
    lines = []
    with open(log_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            entry = lavalog.parse_line(line)
            if entry and entry.get("lvl") == "target":
                lines.append(str(entry.get("msg")).replace('\\"', '"'))
    try:
        start = lines.index("{")
        end = lines.index("}", start)
        return json.loads("\n".join(lines[start:end + 1])).get("parameters") or {}
    except ValueError as exc:
        fail("no result JSON of tcelab-validate-host in the job log (%s)" % exc)


def main():
    common.need_lava_run()
    if not shutil.which("qemu-system-ppc64"):
        skip("no qemu-system-ppc64 (scripts/setup-host)")
    for f in ("vmlinux", "l1.cpio.gz"):
        if not os.path.isfile(os.path.join(IMAGE, f)):
            skip("no L1 host image in %s (cd build && ctest -R emu.validate_host_image)" % IMAGE)
    init = cpio_file(os.path.join(IMAGE, "l1.cpio.gz"), "init") or b""
    if not re.search(rb"^\s*lava\)", init, re.M):
        skip("the L1 image's /init (host/tests/l1-init) has no 'lava' scenario: nothing to boot for LAVA")

    tmp = tempfile.mkdtemp(prefix="tcelab-lava-vh.")
    try:
        with open(os.path.join(tmp, "m.yaml"), "w") as f:
            f.write(MATRIX % {"image": IMAGE, "cycles": CYCLES, "dut": DUT})
        out = os.path.join(tmp, "gen")
        index = generate.generate(os.path.join(tmp, "m.yaml"), out)
        if len(index["jobs"]) != 1:
            fail("the matrix gave %d jobs, not 1" % len(index["jobs"]))
        job = os.path.join(out, index["jobs"][0]["file"])
        res = os.path.join(tmp, "results")
        rc, folder, job_doc, _ = runlocal.run(job, res, timeout=420, say=print, quiet=True)
        print("lava-run exit %s, job %s, results in %s" % (rc, job_doc["health"], folder))
        if rc != 0 or job_doc["health"] != "Complete":
            fail("the job did not complete: %s" % json.dumps(job_doc["failure"]))
        log_path = os.path.join(res, "runs", "local-%s" % job_doc["job_id"], "lava-run.log")
        log = lavalog.read_file(log_path)
        recorded = [(r["case"], r["result"]) for r in log.results if r.get("definition") == "0_validate-host"]
        printed = common.ktap_checks(log_path)
        dev = "dev.%s" % DUT.replace(":", "-")
        if not any(c.startswith(dev + ".") for c, _ in printed):
            fail("the tool printed %d checks, none of device %s: the job's DEVICES did not reach it (%s)"
                 % (len(printed), DUT, " ".join(c for c, _ in printed)))
        names = [c for c, _ in recorded]
        dups = sorted({c for c in names if names.count(c) > 1})
        if dups:
            fail("LAVA recorded these cases more than once: %s" % " ".join(dups))
        want = printed + [("validate-host", "pass")]
        if recorded != want:
            missing = [x for x in want if x not in recorded]
            extra = [x for x in recorded if x not in want]
            fail("LAVA's cases differ from the KTAP checks: missing %s, unexpected %s" % (missing, extra))
        got = dict(recorded)
        for case, result in (("kvm.dev-kvm", "pass"), ("kvm.kvm_hv", "pass"), (dev + ".group-viable", "pass"),
                             (dev + ".tce.cycles", "pass"), ("platform.firmware", "unknown"),
                             ("validate-host", "pass")):
            if got.get(case) != result:
                fail("case %s: LAVA recorded %s, expected %s" % (case, got.get(case), result))
        # the job's parameters reached the tool: its result JSON (in the log)
        params = tool_parameters(log_path)
        for key, value in (("cycles", CYCLES), ("guest_mem", 512 << 20), ("devices", [DUT])):
            if params.get(key) != value:
                fail("the tool ran with %s %s, the job said %s: the parameters did not reach it"
                     % (key, params.get(key), value))
        vh = job_doc.get("validate_host")
        if not vh or vh["result"] != "pass" or vh["checks"] != dict(printed):
            fail("job.json validate_host does not match LAVA's cases: %s" % (vh and vh["counts"]))
        counts = vh["counts"]
        print("PASS: %d checks, one LAVA test case each (%d pass, %d fail, %d skip, %d unknown), "
              "validate-host pass" % (len(printed), counts["pass"], counts["fail"], counts["skip"],
                                      counts["unknown"]))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
