"""Matrix -> job files: every generated job validates against LAVA's own schema
(lava_common.schemas.validate, strict); bad matrices fail with file:line."""
import json
import os
import tarfile
import unittest

import yaml

import common
from common import TmpCase

HAVE_LAVA = common.have_lava_common()
if HAVE_LAVA:
    from tcelab_lava import device, generate
    from tcelab_lava.errors import LavaError

BASE = """\
name: t
kind: %(kind)s
%(extra)s
disks: {dut_mib: 1, fio_mib: 1}
kernels:
  - name: k1
    kernel: vmlinux
    ramdisk: guest.cpio.gz
    uname: 6.12.0-test
devices:
  - name: nvme
    dut: "%(dut)s"
    fio_bdf: "%(fio)s"
workloads:
  - plan: %(plan)s
  - name: fio-seq
    engine: fio
    args: [seqread-128k.fio]
repetitions: 2
"""


@unittest.skipUnless(HAVE_LAVA, "lava-common is not installed (scripts/setup-lava)")
class Generate(TmpCase):
    def matrix(self, kind="qemu-pseries", extra="", dut="0001:00:00.0", fio="0000:00:02.0", body=None):
        self.write("vmlinux", "k")
        self.write("guest.cpio.gz", "r")
        text = body if body is not None else BASE % {
            "kind": kind, "extra": extra, "dut": dut, "fio": fio,
            "plan": os.path.join(common.REPO, "bench", "plans", "default.plan")}
        return self.write("m.yaml", text)

    def test_qemu_jobs_validate(self):
        out = os.path.join(self.tmp, "out")
        index = generate.generate(self.matrix(), out)
        with open(os.path.join(common.REPO, "bench", "plans", "default.plan")) as f:
            steps = [l.split()[0] for l in f if l.strip() and not l.startswith("#")]
        self.assertEqual(len(index["jobs"]), (len(steps) + 1) * 2)
        for j in index["jobs"]:
            path = os.path.join(out, j["file"])
            data = generate.validate_file(path)  # raises if invalid
            self.assertEqual(data["device_type"], "qemu")
            self.assertEqual(data["context"]["arch"], "ppc64")
            self.assertIs(data["context"]["no_kvm"], True)
            ramdisk = data["actions"][0]["deploy"]["images"]["ramdisk"]
            self.assertEqual(ramdisk["overlays"], {"lava": True})
            self.assertEqual(data["actions"][1]["boot"]["prompts"], ["tcelab# "])
            defs = data["actions"][2]["test"]["definitions"]
            self.assertEqual(defs[0]["path"], "kernel-check.yaml")
            self.assertEqual(defs[1]["parameters"]["NAME"], j["workload"])
            self.assertEqual(data["metadata"]["tcelab.workload"], j["workload"])
            # the device dictionary renders with the job's context
            dev = yaml.safe_load(device.qemu_local(data["context"]))
            cmd = dev["actions"]["boot"]["methods"]["qemu"]["parameters"]
            self.assertEqual(cmd["command"], "qemu-system-ppc64")
            self.assertNotIn("-enable-kvm", cmd["options"])
            self.assertIn("-device spapr-pci-host-bridge,index=1,id=phb1", cmd["extra"])
        for f in ("tcelab-lava-tests.tar.gz", "dut-1m.img.gz", "fio-1m.img.gz"):
            self.assertTrue(os.path.isfile(os.path.join(out, "files", f)), f)
        with open(os.path.join(out, "index.json")) as f:
            self.assertEqual(json.load(f)["kind"], "qemu-pseries")

    def test_regenerate_is_identical(self):
        out = os.path.join(self.tmp, "out")
        m = self.matrix()
        generate.generate(m, out)
        def snapshot():
            files = {}
            for sub in ("jobs", "files"):
                for f in os.listdir(os.path.join(out, sub)):
                    with open(os.path.join(out, sub, f), "rb") as fh:
                        files[sub + "/" + f] = fh.read()
            return files
        before = snapshot()
        generate.generate(m, out)
        self.assertEqual(before, snapshot())

    def test_hardware_kinds_validate(self):
        for kind, extra, dt in (
                ("powernv", "tce_modes: [in-kernel, userspace]\nfiles_url: http://lab.example/tcelab/", "tcelab-powernv"),
                ("ssh", "tce_modes: [in-kernel]\nhost_kind: powervm\nfiles_url: http://lab.example/t/", "ssh")):
            out = os.path.join(self.tmp, kind)
            index = generate.generate(self.matrix(kind, extra, dut="0030:01:00.0", fio="0031:01:00.0"), out)
            self.assertTrue(index["jobs"])
            for j in index["jobs"]:
                data = generate.validate_file(os.path.join(out, j["file"]))
                self.assertEqual(data["device_type"], dt)
                url = data["actions"][-1]["test"]["definitions"][0]["repository"]
                self.assertTrue(url.startswith("http://lab.example/"), url)

    def test_shipped_matrices(self):
        d = os.path.join(common.LAVA_JOBS, "matrices")
        real_make_disk = generate.make_disk
        generate.make_disk = lambda dest, mib: open(dest, "wb").close()  # no 256 MiB disks here
        self.addCleanup(setattr, generate, "make_disk", real_make_disk)
        for name in sorted(os.listdir(d)):
            out = os.path.join(self.tmp, name)
            index = generate.generate(os.path.join(d, name), out, check_files=False)
            for j in index["jobs"]:
                generate.validate_file(os.path.join(out, j["file"]))

    def test_powernv_device_type_renders(self):
        for f in ("example-powernv.jinja2", "example-ssh.jinja2"):
            _, data = device.render(os.path.join(common.LAVA_JOBS, "devices", f))
            self.assertIn("boot", data["actions"])
        _, data = device.render(os.path.join(common.LAVA_JOBS, "devices", "example-powernv.jinja2"))
        self.assertIn("ipmitool", data["commands"]["hard_reset"])
        self.assertIn("sol activate", data["commands"]["connect"])
        self.assertIn("minimal", data["actions"]["boot"]["methods"])

    # ------------------------------------------------------- host validation --
    def generate_validation(self, name):
        """A shipped validation matrix -> (its YAML as written, the jobs)."""
        path = os.path.join(common.LAVA_JOBS, "matrices", name)
        with open(path) as f:
            doc = yaml.safe_load(f)
        real_make_disk = generate.make_disk
        generate.make_disk = lambda dest, mib: open(dest, "wb").close()
        self.addCleanup(setattr, generate, "make_disk", real_make_disk)
        out = os.path.join(self.tmp, name)
        index = generate.generate(path, out, check_files=False)
        self.assertIs(index["validate"], True)
        jobs = [generate.validate_file(os.path.join(out, j["file"])) for j in index["jobs"]]  # LAVA's schema
        self.assertEqual(len(jobs), len(doc["kernels"]) * len(doc["hosts"]) * doc.get("repetitions", 1))
        return doc, out, index, jobs

    def check_validation_tests(self, doc, host, data):
        """The job's tests: kernel-check when the kernel names one, then
        validate-host.yaml with the parameters the matrix gave this host."""
        defs = data["actions"][-1]["test"]["definitions"]
        kernel = doc["kernels"][0]
        if "uname" in kernel:
            self.assertEqual((defs[0]["path"], defs[0]["parameters"]), ("kernel-check.yaml", {"EXPECT": kernel["uname"]}))
            defs = defs[1:]
        self.assertEqual(len(defs), 1)
        d = defs[0]
        self.assertEqual((d["path"], d["name"]), ("lava-jobs/validate-host/validate-host.yaml", "validate-host"))
        v = dict(doc["validate"])
        v.update({k: host[k] for k in ("cycles", "guest_mem", "binary", "extra") if k in host})
        devices = host.get("devices", ["0001:00:00.0"])
        self.assertEqual(d["parameters"], {
            "DEVICES": " ".join(devices), "CYCLES": str(v.get("cycles", 20)),
            "GUEST_MEM": v.get("guest_mem", "1G"), "BINARY": v.get("binary", "tcelab-validate-host"),
            "EXTRA": v.get("extra", "")})
        md = data["metadata"]
        self.assertEqual((md["tcelab.host"], md["tcelab.devices"], md["tcelab.validate"]),
                         (host["name"], " ".join(devices), "tcelab-validate-host"))

    def test_validation_emulated(self):
        doc, out, index, jobs = self.generate_validation("validate-emulated.yaml")
        machines = {"pseries-hv": ("cap-nested-hv=on", "-cpu POWER9", "nested-hv"),
                    "pseries-papr": ("cap-nested-papr=on", "-cpu POWER10", "nested-papr")}
        self.assertEqual(sorted(h["machine"] for h in doc["hosts"]), sorted(machines))
        for host, data, entry in zip(doc["hosts"], jobs, index["jobs"]):
            self.assertEqual(entry["host"], host["name"])
            self.assertEqual(data["device_type"], "qemu")
            ctx = data["context"]
            cap, cpu, host_kind = machines[host["machine"]]
            self.assertEqual(ctx["machine"], "pseries,x-vof=on," + cap)
            self.assertEqual((ctx["arch"], ctx["no_kvm"], ctx["memory"]), ("ppc64", True, 2048))
            for opt in (cpu, "-nodefaults", "-serial mon:stdio", "-device spapr-pci-host-bridge,index=1,id=phb1",
                        "-device nvme,serial=dut0,drive=dut0,bus=phb1.0,addr=0",
                        '-append "console=hvc0 tcelab.scenario=lava tcelab.dut=0001:00:00.0"'):
                self.assertIn(opt, ctx["extra_options"])
            images = data["actions"][0]["deploy"]["images"]
            self.assertEqual(sorted(images), ["dut", "kernel", "ramdisk"])
            self.assertTrue(images["kernel"]["url"].endswith("/build/host/tests/l1-image/vmlinux"))
            self.assertTrue(images["ramdisk"]["url"].endswith("/build/host/tests/l1-image/l1.cpio.gz"))
            self.assertEqual((images["ramdisk"]["format"], images["ramdisk"]["compression"],
                              images["ramdisk"]["overlays"]), ("cpio.newc", "gz", {"lava": True}))
            self.assertEqual(data["actions"][1]["boot"]["prompts"], ["tcelab-host# "])
            self.assertEqual(data["metadata"]["tcelab.host_kind"], host_kind)
            self.assertEqual(data["metadata"]["tcelab.environment"], "emulated")
            self.check_validation_tests(doc, host, data)
            # the device dictionary renders with the job's context, as run-emu runs QEMU
            cmd = yaml.safe_load(device.qemu_local(ctx))["actions"]["boot"]["methods"]["qemu"]["parameters"]
            self.assertEqual(cmd["command"], "qemu-system-ppc64")
            self.assertNotIn("-enable-kvm", cmd["options"])
            self.assertIn("-machine pseries,x-vof=on," + cap, cmd["options"])
        # the definition and its scripts travel in the tests tarball, at the
        # path validate-host.yaml's step names
        with tarfile.open(os.path.join(out, "files", "tcelab-lava-tests.tar.gz")) as tar:
            for name, mode in (("validate-host.yaml", 0o644), ("run-validate-host", 0o755), ("ktap-to-lava", 0o755)):
                member = tar.getmember("lava-jobs/validate-host/" + name)
                self.assertEqual(member.mode, mode, name)
                with open(os.path.join(common.LAVA_JOBS, "validate-host", name), "rb") as f:
                    self.assertEqual(tar.extractfile(member).read(), f.read())
        self.assertTrue(os.path.isfile(os.path.join(out, "files", "dut-64m.img.gz")))
        self.assertFalse(any(f.startswith("fio-") for f in os.listdir(os.path.join(out, "files"))))

    def test_validation_hardware(self):
        for name, dt, boot in (("validate-powernv.yaml", "tcelab-powernv", "minimal"),
                               ("validate-ssh.yaml", "ssh", "ssh")):
            doc, _, index, jobs = self.generate_validation(name)
            for host, data in zip(doc["hosts"], jobs):
                self.assertEqual(data["device_type"], dt, name)
                self.assertEqual(data["actions"][1]["boot"]["method"], boot)
                self.assertEqual(data["tags"], doc["kernels"][0]["tags"] + host["tags"])
                url = data["actions"][-1]["test"]["definitions"][0]["repository"]
                self.assertEqual(url, doc["files_url"] + "tcelab-lava-tests.tar.gz")
                self.assertEqual(data["metadata"]["tcelab.environment"], "hardware")
                self.assertEqual(data["metadata"]["tcelab.host_kind"], doc.get("host_kind", "powernv"))
                self.check_validation_tests(doc, host, data)

    def test_validation_bad_matrices(self):
        base = ("name: v\nkind: %s\nvalidate:\n  cycles: 5\nkernels:\n  - name: k\n    kernel: vmlinux\n"
                "    ramdisk: guest.cpio.gz\nhosts:\n  - name: h1\n    machine: pseries-hv\n")
        emu = base % "qemu-pseries"
        self.assertEqual(len(generate.generate(self.matrix(body=emu), os.path.join(self.tmp, "ok"))["jobs"]), 1)
        hw = ("name: v\nkind: ssh\nvalidate:\nkernels:\n  - name: k\nhosts:\n  - name: h1\n"
              "    devices: [\"0030:01:00.0\"]\n")
        for text, line, needle in (
                (emu + "workloads: []\n", 12, "'workloads' does not go in a host validation matrix"),
                (emu.replace("validate:\n  cycles: 5\n", ""), 7, "'hosts' goes with 'validate:'"),
                (emu.replace("pseries-hv", "powernv10"), 11, "unknown emulated host 'powernv10'"),
                (emu + "    devices: [\"0002:00:00.0\"]\n", 12, "one device under test, 0001:00:00.0"),
                (emu.replace("cycles: 5", "cycles: 0"), 4, "validate.cycles must be a whole number"),
                (emu.replace("cycles: 5", "guest_mem: lots"), 4, "validate.guest_mem 'lots' is not valid"),
                (emu + "    extra: \"--name it's\"\n", 12, "'it's' has characters"),
                (emu + "  - name: h1\n    machine: pseries-papr\n", 12, "duplicate name 'h1'"),
                (emu + "timeouts: {job: 5}\n", 12, "timeouts.action (10 minutes, the default) is longer"),
                (emu.replace("hosts:\n  - name: h1\n    machine: pseries-hv\n", "hosts: []\n"), 9, "hosts is empty"),
                (emu.replace("    machine: pseries-hv\n", ""), 10, "'machine' is missing"),
                (hw, 7, "kind ssh needs host_kind"),
                (hw.replace("0030:01:00.0", "30:1:0.0") + "host_kind: powervm\n", 8, "'30:1:0.0' is not valid"),
                (hw + "host_kind: powervm\ndisks: {dut_mib: 4}\n", 10, "only the emulated host has disks"),
                (hw + "host_kind: powervm\n    machine: pseries-hv\n", 10, "malformed YAML")):
            with self.subTest(needle=needle):
                self.assertFails(text, "m.yaml:%d:" % line, needle)

    # ------------------------------------------------------------ bad input --
    def assertFails(self, text, *needles, check_files=True):
        path = self.matrix(body=text)
        with self.assertRaises(LavaError) as cm:
            generate.generate(path, os.path.join(self.tmp, "o"), check_files=check_files)
        msg = str(cm.exception)
        for n in needles:
            self.assertIn(n, msg)
        return msg

    def test_malformed_yaml(self):
        self.assertFails("name: t\nkind: [qemu\nkernels: x\n", "m.yaml:3:", "malformed YAML")

    def test_unknown_kind_and_engine(self):
        base = BASE % {"kind": "qemu-pseries", "extra": "", "dut": "0001:00:00.0", "fio": "0000:00:02.0",
                       "plan": os.path.join(common.REPO, "bench", "plans", "default.plan")}
        self.assertFails(base.replace("kind: qemu-pseries", "kind: petitboot"), "m.yaml:2:", "unknown kind 'petitboot'")
        self.assertFails(base.replace("engine: fio", "engine: fioo"), "m.yaml:17:", "unknown engine 'fioo'")
        self.assertFails(base.replace("seqread-128k.fio", "nosuch.fio"), "m.yaml:18:", "no fio job file nosuch.fio")
        self.assertFails(base.replace("kind: qemu-pseries", "kind: qemu-pseries\ndevice_type: qemu-ppc"),
                         "m.yaml:3:", "qemu-ppc")
        self.assertFails(base.replace('dut: "0001:00:00.0"', 'dut: "0002:00:00.0"'), "m.yaml:12:", "0001:00:00.0")
        self.assertFails(base.replace("repetitions: 2", "repetitions: 0"), "m.yaml:19:", "repetitions")
        self.assertFails(base.replace("args: [seqread-128k.fio]", "args: [\"it's\"]"), "m.yaml:18:", "characters")
        self.assertFails(base + "bogus: 1\n", "m.yaml:20:", "unknown key 'bogus'")
        self.assertFails(base.replace("  - name: k1\n    kernel: vmlinux", "  - name: k1\n    kernel: nofile"),
                         "m.yaml:7:", "no such file")
        self.assertFails(base.replace("kind: qemu-pseries", "kind: qemu-pseries\ntce_modes: [in-kernel]"),
                         "m.yaml:3:", "emulated")

    def test_bad_plan_line(self):
        plan = self.write("bad.plan", "# c\nonly-a-name\n")
        self.assertFails(BASE % {"kind": "qemu-pseries", "extra": "", "dut": "0001:00:00.0",
                                 "fio": "0000:00:02.0", "plan": plan}, "bad.plan:2:", "without an engine")

    def test_job_schema_error_names_file_and_key(self):
        out = os.path.join(self.tmp, "out")
        index = generate.generate(self.matrix(), out)
        path = os.path.join(out, index["jobs"][0]["file"])
        with open(path) as f:
            data = yaml.safe_load(f)
        data["context"]["arch_typo"] = "ppc64"
        bad = self.write("bad-job.yaml", yaml.safe_dump(data))
        with self.assertRaises(LavaError) as cm:
            generate.validate_file(bad)
        self.assertIn("bad-job.yaml", str(cm.exception))
        self.assertIn("context", str(cm.exception))
        with self.assertRaises(LavaError) as cm:
            generate.validate_file(self.write("broken.yaml", "job_name: [x\n"))
        self.assertIn("broken.yaml:2", str(cm.exception))

    def test_unknown_device_type_template(self):
        p = self.write("dev.jinja2", "{% extends 'no-such-type.jinja2' %}\n")
        with self.assertRaises(LavaError) as cm:
            device.render(p, {})
        self.assertIn("unknown device type template no-such-type.jinja2", str(cm.exception))


if __name__ == "__main__":
    common.main()
