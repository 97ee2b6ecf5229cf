"""emu test: one emulated job through LAVA's lava-run (`tcelab lava run-local`).

One boot of the pseries guest runs two workloads: fio-verify (must pass, its
measurements must come back through the collector as LAVA recorded them and
as the guest printed them) and dma-map-bad (bad arguments: must come back as
a failed test case, not a missing one). Needs root, lava-run and the guest
image (build/guest-image); exits 77 (skipped) without them."""
import json
import os
import re
import shutil
import tempfile

import yaml

import common
from tcelab_lava import collect, generate, lavalog, results, runlocal

IMAGE = os.environ.get("TCELAB_GUEST_IMAGE") or os.path.join(common.REPO, "build", "guest-image")

MATRIX = """\
name: emu-check
kind: qemu-pseries
kernels:
  - name: guest
    kernel: %(image)s/vmlinux
    ramdisk: %(image)s/guest.cpio.gz
devices:
  - name: nvme
    dut: "0001:00:00.0"
    fio_bdf: "0000:00:02.0"
workloads:
  - name: fio-verify
    engine: fio
    args: [verify-pattern.fio]
  - name: dma-map-bad
    engine: dma-map
    args: [--iommu=spapr-v1, --sizes=no-such-size]
timeouts: {job: 12, boot: 3, test: 8}
"""


skip, fail = common.skip, common.fail


def merged_job(index, out):
    """Both cells' workloads in one job (one boot): a valid LAVA job too."""
    jobs = []
    for j in index["jobs"]:
        with open(os.path.join(out, j["file"])) as f:
            jobs.append(yaml.safe_load(f))
    first = jobs[0]
    tests = next(a["test"] for a in first["actions"] if "test" in a)
    for other in jobs[1:]:
        tests["definitions"] += next(a["test"] for a in other["actions"] if "test" in a)["definitions"]
    first["job_name"] += "+merged"
    path = os.path.join(out, "merged.yaml")
    with open(path, "w") as f:
        yaml.safe_dump(first, f, sort_keys=False)
    generate.validate_file(path)
    return path


def guest_printed(log_path):
    """{(set, case): measurement} from the guest's own LAVA_SIGNAL_TESTCASE lines."""
    printed, current = {}, None
    with open(log_path) as f:
        for line in f:
            entry = lavalog.parse_line(line)
            if not entry or entry.get("lvl") != "target":
                continue
            msg = str(entry.get("msg"))
            m = re.search(r"<LAVA_SIGNAL_TESTSET START (\S+)>", msg)
            if m:
                current = m.group(1)
            m = re.search(r"<LAVA_SIGNAL_TESTCASE TEST_CASE_ID=(\S+) RESULT=(\S+)(?: UNITS=(\S+))?(?: MEASUREMENT=([^ >]+))?>", msg)
            if m:
                printed[(current, m.group(1))] = (m.group(2), m.group(4))
    return printed


def main():
    common.need_lava_run()
    for f in ("vmlinux", "guest.cpio.gz"):
        if not os.path.isfile(os.path.join(IMAGE, f)):
            skip("no guest image in %s (cmake --build build --target guest-image)" % IMAGE)
    tmp = tempfile.mkdtemp(prefix="tcelab-lava-emu.")
    try:
        with open(os.path.join(tmp, "m.yaml"), "w") as f:
            f.write(MATRIX % {"image": IMAGE})
        out = os.path.join(tmp, "gen")
        index = generate.generate(os.path.join(tmp, "m.yaml"), out)
        job = merged_job(index, out)
        res = os.path.join(tmp, "results")
        rc, folder, job_doc, docs = runlocal.run(job, res, timeout=900, say=print, quiet=True)
        print("lava-run exit %s, job %s, results in %s" % (rc, job_doc["health"], folder))
        if rc != 0 or job_doc["health"] != "Complete":
            fail("the job did not complete: %s" % json.dumps(job_doc["failure"]))
        run_dir = os.path.join(res, "runs", "local-%s" % job_doc["job_id"])
        log = lavalog.read_file(os.path.join(run_dir, "lava-run.log"))
        recorded = {(r.get("set"), r["case"]): r for r in log.results if r.get("definition") != "lava"}
        printed = guest_printed(os.path.join(run_dir, "lava-run.log"))

        fv = docs["fio-verify"]
        if fv["status"] != "passed":
            fail("fio-verify: %s" % fv["errors"])
        if len(fv["metrics"]) < 4:
            fail("fio-verify: only %d metrics came back" % len(fv["metrics"]))
        for m in fv["metrics"]:
            case = results.case_name(m["name"], list(m["labels"].items()))
            lava = recorded.get(("fio-verify", case))
            guest = printed.get(("fio-verify", case))
            if not lava or not guest:
                fail("fio-verify: %s: LAVA recorded %s, the guest printed %s" % (case, lava, guest))
            if abs(float(lava["measurement"]) - m["summary"]["median"]) > 1e-6 * max(1, abs(m["summary"]["median"])) \
                    or abs(float(guest[1]) - m["summary"]["median"]) > 1e-6 * max(1, abs(m["summary"]["median"])):
                fail("fio-verify: %s: result %s, LAVA %s, guest %s"
                     % (case, m["summary"]["median"], lava["measurement"], guest[1]))
            print("  %-45s %14s %-8s (LAVA %s, guest %s)" % (case, m["summary"]["median"], m["unit"],
                                                          lava["measurement"], guest[1]))

        bad = docs["dma-map-bad"]
        lava_bad = recorded.get(("dma-map-bad", "dma-map-bad"))
        if not lava_bad or lava_bad["result"] != "fail":
            fail("dma-map-bad: LAVA has no failed test case for it: %s" % lava_bad)
        if bad["status"] != "failed" or not any("exited with status" in e for e in bad["errors"]):
            fail("dma-map-bad: %s %s" % (bad["status"], bad["errors"]))
        print("  dma-map-bad: LAVA case %s; result %s: %s" % (lava_bad["result"], bad["status"], bad["errors"][0]))

        again, _, _ = collect.from_run_dir(run_dir, res)
        if again != folder or sorted(os.listdir(res)) != sorted(["runs", os.path.basename(folder)]):
            fail("collecting again made %s" % os.listdir(res))
        print("PASS")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
