"""LAVA's log and results -> the suite's result JSON (collector), from a real
lava-run log recorded in the emulated lab (data/lava-run-fio-randread.log)."""
import json
import os
import re
import shutil

import common
from common import DATA, TmpCase
from tcelab_lava import collect, lavalog, results

LOG = os.path.join(DATA, "lava-run-fio-randread.log")
JOB = os.path.join(DATA, "job-fio-randread.yaml")


def make_run_dir(tmp, job_id, job, log, edit=None):
    """A lava-run folder as run-local leaves it: job.yaml and lava-run.log
    (edited by edit(text) if given)."""
    d = os.path.join(tmp, "runs", "local-%d" % job_id)
    os.makedirs(d, exist_ok=True)
    shutil.copy(job, os.path.join(d, "job.yaml"))
    with open(log) as f:
        text = f.read()
    with open(os.path.join(d, "lava-run.log"), "w") as f:
        f.write(edit(text) if edit else text)
    return d


class Results(TmpCase):
    def run_dir(self, log_text=None):
        d = make_run_dir(self.tmp, 42, JOB, LOG, log_text)
        with open(os.path.join(d, "run.json"), "w") as f:
            json.dump({"job_id": 42, "host": "testhost", "exit": 0}, f)
        return d

    def collect(self, log_text=None):
        folder, job_doc, docs = collect.from_run_dir(self.run_dir(log_text), os.path.join(self.tmp, "res"))
        return folder, job_doc, docs["fio-randread-qd1"]

    def lava_measurements(self):
        log = lavalog.read_file(LOG)
        return {r["case"]: r for r in log.results if r.get("definition") == "0_fio-randread-qd1"}

    def test_measurements_come_back(self):
        folder, job_doc, doc = self.collect()
        self.assertEqual(os.path.basename(folder), "local-testhost-42")
        self.assertEqual(job_doc["health"], "Complete")
        self.assertIsNone(job_doc["failure"])
        self.assertEqual(doc["status"], "passed", doc["errors"])
        self.assertEqual(doc["errors"], [])
        self.assertEqual(doc["schema"], "tcelab-result/1")
        self.assertEqual(list(doc), ["schema", "tool", "version", "name", "started", "where",
                                     "parameters", "metrics", "status", "errors"])
        self.assertEqual(doc["where"]["tce_mode"], "emulated")
        self.assertIn("pSeries", doc["where"]["machine"])
        lava = self.lava_measurements()
        self.assertEqual(len(doc["metrics"]), 4)
        for m in doc["metrics"]:
            case = results.case_name(m["name"], list(m["labels"].items()))
            self.assertAlmostEqual(m["summary"]["median"], float(lava[case]["measurement"]), places=6)
            self.assertEqual(m["unit"], lava[case]["units"])
        clat = next(m for m in doc["metrics"] if m["name"] == "clat")
        self.assertEqual(clat["labels"], {"job": "randread-qd1", "direction": "read"})
        self.assertGreater(clat["summary"]["n"], 1000)  # the whole summary, from the raw output
        self.assertLessEqual(clat["summary"]["min"], clat["summary"]["median"])
        self.assertTrue(os.path.isfile(os.path.join(folder, "raw", "fio-randread-qd1", "fio-randread-qd1.json")))
        with open(os.path.join(folder, "fio-randread-qd1.result.json")) as f:
            self.assertEqual(json.load(f)["metrics"], doc["metrics"])

    def test_recollect_does_not_duplicate(self):
        folder, _, _ = self.collect()
        before = sorted(os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs)
        folder2, _, _ = self.collect()
        self.assertEqual(folder, folder2)
        after = sorted(os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs)
        self.assertEqual(before, after)
        self.assertEqual(os.listdir(os.path.join(self.tmp, "res")), ["local-testhost-42"])

    def test_measurement_that_does_not_match_the_guest(self):
        def tamper(text):
            return text.replace('"measurement": ! "1627.329193"', '"measurement": ! "1700.0"')
        _, _, doc = self.collect(tamper)
        self.assertEqual(doc["status"], "failed")
        self.assertTrue(any("LAVA recorded 1700.0, the guest's output says 1627.329193" in e for e in doc["errors"]),
                        doc["errors"])

    def test_garbled_artifact(self):
        def garble(text):
            lines = text.split("\n")
            i = next(n for n, l in enumerate(lines) if "TCELAB-ARTIFACT-BEGIN fio-randread-qd1/fio-randread-qd1.json" in l)
            lines[i + 3] = re.sub(r'"msg": "([A-Za-z0-9+/]{10})', r'"msg": "AAAAAAAAAA', lines[i + 3])
            return "\n".join(lines)
        _, job_doc, doc = self.collect(garble)
        self.assertTrue(any("sha256" in p for p in job_doc["log"]["problems"]), job_doc["log"])
        self.assertEqual(doc["status"], "failed")
        # LAVA's own measurements are still all there
        self.assertEqual(len(doc["metrics"]), 4)
        clat = next(m for m in doc["metrics"] if m["name"] == "clat")
        self.assertIsNone(clat["summary"]["n"])  # no raw output: only what LAVA recorded
        self.assertAlmostEqual(clat["summary"]["median"], 108032.0)

    def test_infrastructure_error_and_cancel(self):
        def infra(text):
            keep = [l for l in text.split("\n") if '"definition": "0_' not in l and '"case": "job"' not in l]
            keep.append('{"dt": "2026-11-25T16:19:59.0", "lvl": "target", "msg": "TCELAB-ERROR modprobe nvme"}')
            keep.append('{"dt": "2026-11-25T16:20:00.0", "lvl": "results", "msg": {"case": "job", "definition": '
                        '"lava", "error_msg": "Unable to boot: QEMU exited", "error_type": "Infrastructure", '
                        '"result": "fail"}}')
            return "\n".join(keep)
        _, job_doc, doc = self.collect(infra)
        self.assertEqual(job_doc["health"], "Incomplete")
        self.assertEqual(job_doc["failure"]["error_type"], "Infrastructure")
        self.assertEqual(doc["status"], "failed")
        self.assertEqual(doc["metrics"], [])
        self.assertIn("the job ended with Infrastructure: Unable to boot", doc["errors"][0])
        self.assertIn("guest: modprobe nvme", doc["errors"])

        def cancel(text):
            return infra(text).replace('"error_type": "Infrastructure"', '"error_type": "Canceled"')
        _, job_doc, doc = self.collect(cancel)
        self.assertEqual(job_doc["health"], "Canceled")
        self.assertEqual(job_doc["failure"]["error_type"], "Canceled")

    def test_skipped_workload(self):
        def skipped(text):
            keep, in_artifact = [], False
            for l in text.split("\n"):
                # a skipped workload leaves no output behind, and no metrics
                in_artifact = in_artifact or "TCELAB-ARTIFACT-BEGIN" in l
                if not in_artifact and ('"definition": "0_' not in l
                                        or '"case": "fio-randread-qd1",' in l):
                    keep.append(l)
                in_artifact = in_artifact and "TCELAB-ARTIFACT-END" not in l
            keep = [l.replace('"result": "pass", "set": "fio-randread-qd1"',
                              '"result": "skip", "set": "fio-randread-qd1"') for l in keep]
            keep.append('{"dt": "2026-11-25T16:15:50.0", "lvl": "target", '
                        '"msg": "TCELAB-LAVA-SKIP fio-randread-qd1: skipped: no fio device"}')
            return "\n".join(keep)
        _, _, doc = self.collect(skipped)
        self.assertEqual(doc["status"], "skipped", doc["errors"])
        self.assertEqual(doc["errors"], ["skipped: no fio device"])

    def test_no_job_result(self):
        _, job_doc, doc = self.collect(lambda t: t.split("TCELAB-STEP")[0])
        self.assertEqual(job_doc["health"], "Incomplete")
        self.assertIn("without a job result", job_doc["failure"]["error_msg"])
        self.assertEqual(doc["status"], "failed")

    def test_workload_job_has_no_validation(self):
        _, job_doc, _ = self.collect()
        self.assertNotIn("validate_host", job_doc)


VH_LOG = os.path.join(DATA, "lava-run-validate-host.log")
VH_JOB = os.path.join(DATA, "job-validate-host.yaml")


class ValidationResults(TmpCase):
    """A recorded host validation job (validate-emulated.yaml's nested-papr
    host through lava-run) -> job.json's validate_host."""

    def collect(self, edit=None):
        d = make_run_dir(self.tmp, 7, VH_JOB, VH_LOG, edit)
        _, job_doc, docs = collect.from_run_dir(d, os.path.join(self.tmp, "res"))
        self.assertEqual(docs, {})  # no workloads in a validation job
        return job_doc

    def test_one_case_per_check(self):
        job_doc = self.collect()
        vh = job_doc["validate_host"]
        printed = common.ktap_checks(VH_LOG)
        self.assertGreater(len(printed), 40)
        self.assertEqual(vh["checks"], dict(printed))
        self.assertEqual(len(vh["checks"]), len(printed))  # no check named twice
        self.assertEqual(vh["result"], "pass")
        self.assertEqual(sum(vh["counts"].values()), len(printed))
        for case, result in (("kvm.dev-kvm", "pass"), ("dev.0001-00-00.0.tce.cycles", "pass"),
                             ("platform.firmware", "unknown"), ("kernel.hcall-errors", "unknown"),
                             ("platform.lparcfg", "fail"), ("kernel.tce-patch", "skip")):
            self.assertEqual(vh["checks"][case], result, case)
        self.assertEqual(job_doc["metadata"]["tcelab.host"], "nested-papr")

    def test_verdict_failed_or_missing(self):
        def failed(text):
            out, n = re.subn(r'("case": "validate-host", "definition": "0_validate-host", [^}]*"result": )"pass"',
                             r'\1"fail"', text)
            self.assertEqual(n, 1)
            return out
        self.assertEqual(self.collect(failed)["validate_host"]["result"], "fail")
        # the job died before the tool finished: LAVA has no verdict
        vh = self.collect(lambda t: t.split('"kvm.vcpu"')[0])["validate_host"]
        self.assertEqual(vh["result"], "missing")
        self.assertEqual(vh["checks"].get("kvm.vm"), "pass")
        self.assertNotIn("validate-host", vh["checks"])

    def test_case_names_split_back(self):
        self.assertEqual(results.split_case("map_ns_per_call.pattern+pairs.size+4096.page_size+4096.iommu+spapr-v1"),
                         ("map_ns_per_call", {"pattern": "pairs", "size": 4096, "page_size": 4096, "iommu": "spapr-v1"}))
        self.assertEqual(results.case_name("clat", [("job", "a b"), ("direction", "read")]),
                         "clat.job+a_b.direction+read")


if __name__ == "__main__":
    common.main()
