"""The guest side (lava-jobs/tests/bin) under busybox sh and awk, as in the
guest: JSON of each engine -> the lava-test-case calls, failures as failed
cases, the raw files as artifacts the collector decodes byte for byte."""
import json
import os
import shutil
import subprocess

import common
from common import DATA, TmpCase

BIN = os.path.join(common.LAVA_JOBS, "tests", "bin")
from tcelab_lava import lavalog, results  # noqa: E402


class Guest(TmpCase):
    def setUp(self):
        super().setUp()
        self.path = common.busybox_path(self.tmp)
        if not self.path:
            self.skipTest("busybox is not installed (scripts/setup-lava installs it)")
        self.out = os.path.join(self.tmp, "out")
        os.makedirs(self.out)

    def env(self, **extra):
        env = {"PATH": self.path, "TCELAB_LAVA_DRYRUN": "1", "TMPDIR": self.tmp}
        env.update(extra)
        return env

    def report(self, engine, name, rc, json_file=None, text=None, secs="3"):
        if json_file:
            shutil.copy(json_file, os.path.join(self.out, name + ".json"))
        if text is not None:
            with open(os.path.join(self.out, name + ".json"), "w") as f:
                f.write(text)
        with open(os.path.join(self.out, name + ".log"), "w") as f:
            f.write("engine log line\n")
        p = subprocess.run(["sh", os.path.join(BIN, "tcelab-lava-report"), engine, name, str(rc), self.out, secs],
                           env=self.env(), capture_output=True, text=True, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    @staticmethod
    def cases(out):
        """{case: (result, measurement, units)} from the dry-run lines."""
        got = {}
        for line in out.splitlines():
            w = line.split()
            if w[:1] != ["lava-test-case"]:
                continue
            opts = dict(zip(w[2::2], w[3::2]))
            got[w[1]] = (opts.get("--result"), opts.get("--measurement"), opts.get("--units"))
        return got

    @staticmethod
    def artifacts(out):
        log = lavalog.JobLog()
        for line in out.splitlines():
            log.feed({"lvl": "target", "msg": line})
        return log.close()

    def check_against_raw(self, engine, name, raw_path):
        out = self.report(engine, name, 0, raw_path)
        cases = self.cases(out)
        with open(raw_path) as f:
            raw = results.raw_metrics(engine, json.load(f))
        self.assertTrue(raw)
        self.assertEqual(cases.pop(name), ("pass", "3", "seconds"))
        self.assertEqual(set(cases), set(raw))
        for case, (result, value, unit) in cases.items():
            self.assertEqual(result, "pass", case)
            self.assertAlmostEqual(float(value), float(raw[case]["value"]), places=6, msg=case)
            self.assertEqual(unit, raw[case]["unit"])
        self.assertIn("lava-test-set start %s" % name, out)
        self.assertTrue(out.rstrip().endswith("lava-test-set stop"))
        arts = self.artifacts(out)
        self.assertEqual(arts.problems, [])
        with open(raw_path, "rb") as f:
            self.assertEqual(arts.artifacts[(name, name + ".json")], f.read())
        self.assertEqual(arts.artifacts[(name, name + ".log")], b"engine log line\n")
        return cases

    def test_fio(self):
        cases = self.check_against_raw("fio", "fio-rr", os.path.join(DATA, "fio-randread.json"))
        self.assertIn("clat.job+randread-qd1.direction+read", cases)

    def test_dma_map(self):
        cases = self.check_against_raw("dma-map", "dm", os.path.join(DATA, "dma-map.json"))
        self.assertIn("map_ns_per_call.pattern+pairs.size+4096.page_size+4096.iommu+spapr-v1", cases)

    def test_iperf3(self):
        cases = self.check_against_raw("iperf3", "ip", os.path.join(DATA, "iperf3.json"))
        self.assertEqual(cases["retransmits.direction+sent"], ("pass", "0", "count"))

    def test_failed_engine_is_a_failed_case(self):
        out = self.report("fio", "f", 1, os.path.join(DATA, "fio-randread.json"))
        cases = self.cases(out)
        self.assertEqual(cases["f"][0], "fail")
        # the numbers are kept, marked with the workload's verdict
        self.assertTrue(all(r == "fail" for r, _, _ in cases.values()))
        self.assertIn("TCELAB-LAVA-ERROR f: fio exited with status 1", out)

    def test_missing_and_malformed_output(self):
        out = self.report("fio", "nojson", 0)
        self.assertEqual(self.cases(out), {"nojson": ("fail", "3", "seconds")})
        self.assertIn("TCELAB-LAVA-ERROR nojson: no output: nojson.json is missing", out)
        out = self.report("iperf3", "bad", 0, text='{\n  "start": {,\n}\n')
        self.assertEqual(self.cases(out), {"bad": ("fail", "3", "seconds")})
        self.assertIn("TCELAB-LAVA-ERROR bad: unreadable output bad.json: 2:13: unexpected ','", out)
        out = self.report("fio", "notfio", 0, text='{"something": 1}\n')
        self.assertIn("not fio's JSON output", out)
        self.assertEqual(self.cases(out)["notfio"][0], "fail")

    def test_tool_reported_failure(self):
        out = self.report("iperf3", "ie", 1, os.path.join(DATA, "iperf3-error.json"))
        self.assertEqual(self.cases(out), {"ie": ("fail", "3", "seconds")})
        self.assertIn("TCELAB-LAVA-ERROR ie: iperf3: unable to connect to server: Connection refused", out)
        with open(os.path.join(DATA, "dma-map.json")) as f:
            doc = json.load(f)
        doc["status"], doc["errors"] = "failed", ["VFIO_IOMMU_MAP_DMA: No space left on device"]
        out = self.report("dma-map", "dmf", 0, text=json.dumps(doc))
        self.assertEqual(self.cases(out)["dmf"][0], "fail")
        self.assertIn("TCELAB-LAVA-ERROR dmf: VFIO_IOMMU_MAP_DMA: No space left on device", out)

    def test_metric_without_value(self):
        with open(os.path.join(DATA, "dma-map.json")) as f:
            doc = json.load(f)
        doc["metrics"][0]["summary"]["median"] = None
        out = self.report("dma-map", "nv", 0, text=json.dumps(doc))
        cases = self.cases(out)
        first = results.case_name(doc["metrics"][0]["name"], list(doc["metrics"][0]["labels"].items()))
        self.assertEqual(cases[first], ("fail", None, None))  # no --measurement
        self.assertEqual(cases["nv"][0], "fail")

    def test_skip(self):
        out = self.report("iperf3", "sk", "skip:no iperf3 server for this job")
        self.assertEqual(self.cases(out), {"sk": ("skip", None, None)})
        self.assertIn("TCELAB-LAVA-SKIP sk: skipped: no iperf3 server", out)

    def run_engine(self, engine_script, engine="fio", **env):
        eng = os.path.join(self.tmp, "engines")
        os.makedirs(eng, exist_ok=True)
        with open(os.path.join(eng, engine), "w") as f:
            f.write("#!/bin/sh\n" + engine_script)
        os.chmod(os.path.join(eng, engine), 0o755)
        p = subprocess.run(["sh", os.path.join(BIN, "tcelab-lava-run"), engine, "w1", "a1"],
                           env=self.env(TCELAB_ENGINES=eng, TCELAB_OUT=self.out, **env),
                           capture_output=True, text=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    def test_run_timeout_and_failure(self):
        out = self.run_engine("echo started; sleep 10\n", TCELAB_STEP_TIMEOUT="1")
        self.assertIn("TCELAB-STEP w1 end rc=124", out)
        self.assertIn("TCELAB-LAVA-ERROR w1: killed at the step timeout (1 s)", out)
        self.assertEqual(self.cases(out)["w1"][0], "fail")
        out = self.run_engine("echo \"args: $*\"; cp %s \"$TCELAB_OUT/$1.json\"\n"
                              % os.path.join(DATA, "fio-randread.json"))
        self.assertIn("w1.log: args: w1 a1", out)
        self.assertEqual(self.cases(out)["w1"][0], "pass")
        out = self.run_engine("exit 0\n", engine="iperf3")
        self.assertEqual(self.cases(out), {"w1": ("skip", None, None)})

    def test_host_setup_failure_is_a_failed_case(self):
        if os.path.exists("/run/tcelab/env"):
            self.skipTest("this is a tcelab guest")
        out = self.run_engine("exit 0\n", engine="dma-map", TCELAB_DUT="ffff:00:1f.7")
        self.assertEqual(self.cases(out)["w1"][0], "fail")
        self.assertIn("TCELAB-LAVA-ERROR w1: TCELAB_DUT ffff:00:1f.7: no such PCI device", out)


if __name__ == "__main__":
    common.main()
