"""What LAVA recorded for a job -> the suite's result JSON (docs/result-json.md).

Input: the job (its definition: the cell metadata and the workloads it ran),
the results LAVA recorded (lava-test-case measurements, LAVA's own "lava"
suite with the job's error_type), and the raw files the guest sent along
(lavalog: NAME.json, NAME.log, guest.env). Output, in one folder per job
keyed by server and job id:

  job.json                 tcelab-lava-job/1: server, job id, state, health,
                           LAVA's failure class and message, cell metadata;
                           for a host validation job, validate_host: the
                           verdict and the checks' results
  NAME.result.json         tcelab-result/1, one per workload of the job, also
                           when it never ran or LAVA recorded nothing for it
  raw/NAME/FILE            the raw files, as the guest sent them

Metrics come from LAVA's test cases (the measurements LAVA recorded); when
the raw output came back too, each measurement is checked against it and
the summary (n, percentiles, ...) is taken from it. Every file is written
beside and renamed over, so re-collecting replaces, never duplicates."""
import json
import math
import os
import re
import tempfile
import time

from . import VERSION
from .errors import LavaError

ENGINE_OF_PATH = {"dma-map.yaml": "dma-map", "fio.yaml": "fio", "iperf3.yaml": "iperf3"}
BETTER = {
    "map_ns_per_call": "lower", "unmap_ns_per_call": "lower", "map_ns_per_tce": "lower",
    "unmap_ns_per_tce": "lower", "register_ns": "lower", "clat": "lower", "total_err": "lower",
    "retransmits": "lower", "iops": "higher", "bandwidth": "higher", "io_bytes": "higher",
    "bytes": "higher",
}
# Metrics that are distributions (a summary beyond one value).
DISTRIBUTIONS = {"map_ns_per_call", "unmap_ns_per_call", "map_ns_per_tce", "unmap_ns_per_tce",
                 "register_ns", "clat"}
SUMMARY_KEYS = ("n", "min", "median", "mean", "stddev", "p99", "p999", "max")


def clean(s):
    """As metrics.awk: characters outside [-_A-Za-z0-9] become '_'."""
    return re.sub(r"[^-_A-Za-z0-9]", "_", str(s))


def case_name(metric, labels):
    return clean(metric) + "".join(".%s+%s" % (clean(k), clean(v)) for k, v in labels)


def split_case(name):
    """'clat.job+randread-qd1.direction+read' -> ('clat', {'job': ..., 'direction': ...})."""
    parts = name.split(".")
    metric, labels = parts[0], {}
    for p in parts[1:]:
        if "+" not in p:
            return name, {}
        k, v = p.split("+", 1)
        labels[k] = int(v) if re.match(r"^[0-9]+$", v) else v
    return metric, labels


def _num(v):
    if isinstance(v, bool) or v is None:
        return None
    if isinstance(v, (int, float)):
        return v if not (isinstance(v, float) and (math.isnan(v) or math.isinf(v))) else None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) or math.isinf(f) else (int(f) if f.is_integer() and "." not in str(v)
                                                       and "e" not in str(v).lower() else f)


def single(value):
    v = _num(value)
    return {"n": 1, "min": v, "median": v, "mean": v, "stddev": None, "p99": v, "p999": v, "max": v}


def only_median(value):
    s = dict.fromkeys(SUMMARY_KEYS)
    s["median"] = _num(value)
    return s


# ---------------------------------------------------------------- raw output --
def raw_metrics(engine, doc):
    """The metrics of an engine's raw output, as metrics.awk reads them:
    {case: {"name", "labels" (ordered pairs), "value", "unit", "better", "summary"}}."""
    out = {}

    def add(name, labels, value, unit, summary, better=None):
        out[case_name(name, labels)] = {"name": name, "labels": labels, "value": value, "unit": unit,
                                        "better": better or BETTER.get(name, "lower"), "summary": summary}
    if engine == "dma-map":
        for m in doc.get("metrics") or []:
            if not isinstance(m, dict):
                continue
            labels = list((m.get("labels") or {}).items())
            summary = m.get("summary") or {}
            add(m.get("name", ""), labels, summary.get("median"), m.get("unit", ""),
                {k: summary.get(k) for k in SUMMARY_KEYS}, m.get("better"))
    elif engine == "fio":
        for job in doc.get("jobs") or []:
            name = job.get("jobname", "")
            for d in ("read", "write", "trim"):
                st = job.get(d)
                if not isinstance(st, dict) or not (_num(st.get("io_bytes")) or 0) > 0:
                    continue
                labels = [("job", name), ("direction", d)]
                add("iops", labels, st.get("iops"), "ops/s", single(st.get("iops")))
                add("bandwidth", labels, st.get("bw_bytes"), "bytes/s", single(st.get("bw_bytes")))
                add("io_bytes", labels, st.get("io_bytes"), "bytes", single(st.get("io_bytes")))
                clat = st.get("clat_ns") or {}
                pct = clat.get("percentile") or {}
                add("clat", labels, pct.get("50.000000"), "ns", {
                    "n": clat.get("N"), "min": clat.get("min"), "median": pct.get("50.000000"),
                    "mean": clat.get("mean"), "stddev": clat.get("stddev"),
                    "p99": pct.get("99.000000"), "p999": pct.get("99.900000"), "max": clat.get("max")})
            if "total_err" in job:
                add("total_err", [("job", name)], job["total_err"], "count", single(job["total_err"]))
    elif engine == "iperf3":
        end = doc.get("end") or {}
        for member, direction in (("sum_sent", "sent"), ("sum_received", "received")):
            s = end.get(member)
            if not isinstance(s, dict) or "bits_per_second" not in s:
                continue
            labels = [("direction", direction)]
            add("bandwidth", labels, s.get("bits_per_second"), "bits/s", single(s.get("bits_per_second")))
            add("bytes", labels, s.get("bytes"), "bytes", single(s.get("bytes")))
            if "retransmits" in s:
                add("retransmits", labels, s["retransmits"], "count", single(s["retransmits"]))
    return out


def _same(a, b):
    a, b = _num(a), _num(b)
    if a is None or b is None:
        return a is b
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-6)


def raw_parameters(engine, doc, args):
    p = {"args": list(args)}
    if engine == "dma-map":
        p.update(doc.get("parameters") or {})
    elif engine == "fio":
        p["job_file"] = args[0] if args else None
        p["fio_version"] = doc.get("fio version")
        if "global options" in doc:
            p["global_options"] = doc["global options"]
    elif engine == "iperf3":
        test = (doc.get("start") or {}).get("test_start") or {}
        p["iperf3_version"] = (doc.get("start") or {}).get("version")
        p["protocol"] = test.get("protocol")
        for k, key in (("num_streams", "streams"), ("duration", "duration_s"), ("reverse", "reverse")):
            if k in test:
                p[key] = bool(test[k]) if k == "reverse" else test[k]
    return p


# ------------------------------------------------------------------- a job --
def workloads_of(definition):
    """[(name, engine, args)] from a job definition (dict): its tcelab tests."""
    out = []
    for action in definition.get("actions") or []:
        test = action.get("test") if isinstance(action, dict) else None
        if not isinstance(test, dict):
            continue
        for d in test.get("definitions") or []:
            engine = ENGINE_OF_PATH.get(os.path.basename(str(d.get("path", ""))))
            if not engine:
                continue
            params = d.get("parameters") or d.get("params") or {}
            out.append((str(params.get("NAME") or d.get("name")), engine,
                        str(params.get("ARGS") or "").split()))
    return out


def validation_of(definition, results):
    """A host validation job's validate-host test (validate-host.yaml): its
    verdict (the case "validate-host": pass, fail, or missing when LAVA
    recorded none) and every check's result; None for other jobs."""
    name = None
    for action in definition.get("actions") or []:
        test = action.get("test") if isinstance(action, dict) else None
        for d in (test.get("definitions") or []) if isinstance(test, dict) else []:
            if os.path.basename(str(d.get("path", ""))) == "validate-host.yaml" and name is None:
                name = str(d.get("name"))
    if name is None:
        return None
    suite = re.compile(r"^\d+_%s$" % re.escape(name))
    cases = [r for r in results or [] if suite.match(str(r.get("definition", "")))]
    verdict = next((str(c.get("result")) for c in cases if c.get("case") == "validate-host"), "missing")
    checks = {str(c.get("case")): str(c.get("result")) for c in cases if c.get("case") != "validate-host"}
    counts = {k: sum(1 for v in checks.values() if v == k) for k in ("pass", "fail", "skip", "unknown")}
    return {"definition": name, "result": verdict, "counts": counts, "checks": checks}


def _iso(dt):
    if not dt:
        return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    s = str(dt).replace(" ", "T")
    s = re.sub(r"\.\d+", "", s)
    s = re.sub(r"(\+00:00|Z)$", "", s)
    return s + "Z"


def _guest_env(data):
    env = {}
    for line in (data or b"").decode("utf-8", "replace").splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            env[k.strip()] = v.strip()
    return env


def build(job):
    """job: dict with
         key, server, job_id, url, definition (dict), metadata (dict),
         state, health, failure ({error_type, error_msg} or None),
         results [LAVA result dicts: definition, case, result, measurement, units, set],
         artifacts {(workload, file): bytes}, errors {workload: [..]}, skips {...},
         problems [..], started (time text)
       -> (job_doc, {workload: result_doc})"""
    md = job.get("metadata") or {}
    definition = job.get("definition") or {}
    workloads = workloads_of(definition)
    failure = job.get("failure")
    lava_id = "%s job %s" % (job["server"], job["job_id"])
    by_set = {}
    kernel_check = []
    for r in job.get("results") or []:
        d = str(r.get("definition", ""))
        if d == "lava":
            continue
        if re.match(r"^\d+_kernel-check$", d):
            kernel_check.append(r)
            continue
        name = r.get("set") or re.sub(r"^\d+_", "", d)
        by_set.setdefault(str(name), []).append(r)

    kc_errors = ["kernel-check: %s (see TCELAB-LAVA-ERROR kernel-check in the job log)" % r.get("case")
                 for r in kernel_check if r.get("result") != "pass"]
    kc_errors += ["kernel-check: %s" % e for e in (job.get("errors") or {}).get("kernel-check", [])]
    genv = {}
    for (w, f), data in (job.get("artifacts") or {}).items():
        if f == "guest.env":
            genv = _guest_env(data)

    docs = {}
    for name, engine, args in workloads:
        docs[name] = _workload_doc(job, md, name, engine, args, by_set.get(name, []), failure,
                                   lava_id, kc_errors, genv)
    job_doc = {
        "schema": "tcelab-lava-job/1",
        "version": VERSION,
        "key": job["key"],
        "server": job["server"],
        "job_id": job["job_id"],
        "url": job.get("url"),
        "job_name": definition.get("job_name"),
        "state": job.get("state"),
        "health": job.get("health"),
        "failure": failure,
        "metadata": md,
        "started": _iso(job.get("started")),
        "collected": _iso(None),
        "log": {"source": job.get("log_source"), "problems": job.get("problems") or [],
                "guest_errors": job.get("guest_errors") or []},
        "kernel_check": [{"case": r.get("case"), "result": r.get("result")} for r in kernel_check],
        "workloads": [{"name": n, "engine": e, "status": docs[n]["status"],
                       "result": "%s.result.json" % n} for n, e, _ in workloads],
    }
    vh = validation_of(definition, job.get("results"))
    if vh is not None:
        job_doc["validate_host"] = vh
    return job_doc, docs


def _workload_doc(job, md, name, engine, args, cases, failure, lava_id, kc_errors, genv):
    errors = []
    arts = job.get("artifacts") or {}
    raw_doc = None
    raw_json = arts.get((name, "%s.json" % name))
    if raw_json is not None:
        try:
            raw_doc = json.loads(raw_json.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            errors.append("the raw output %s.json that came back is not JSON: %s" % (name, exc))
    status_case = next((c for c in cases if c.get("case") == name), None)
    metric_cases = [c for c in cases if c.get("case") != name]

    # What went wrong, most telling first.
    skip_reasons = []
    if status_case is None:
        if failure:
            errors.append("LAVA recorded no result for %s: the job ended with %s: %s"
                          % (name, failure.get("error_type"), failure.get("error_msg")))
        elif job.get("state") not in (None, "Finished"):
            errors.append("LAVA recorded no result for %s yet: the job is %s" % (name, job.get("state")))
        else:
            errors.append("LAVA recorded no result for %s (the test did not run)" % name)
    elif status_case.get("result") == "skip":
        skip_reasons = (job.get("skips") or {}).get(name) or ["skipped"]
        errors.extend(skip_reasons)
    elif status_case.get("result") != "pass":
        errors.extend((job.get("errors") or {}).get(name) or
                      ["LAVA recorded %s for %s" % (status_case.get("result"), name)])
    if status_case is None:
        errors.extend("guest: %s" % e for e in job.get("guest_errors") or [])
    if failure and status_case is not None:
        errors.append("%s: %s: %s" % (lava_id, failure.get("error_type"), failure.get("error_msg")))
    errors.extend(kc_errors)
    errors.extend(p for p in (job.get("problems") or []) if p.startswith("artifact %s/" % name))

    raw = raw_metrics(engine, raw_doc) if isinstance(raw_doc, dict) else {}
    metrics = []
    for c in metric_cases:
        case = str(c.get("case"))
        recorded = c.get("measurement")
        r = raw.get(case)
        if r is not None:
            if not _same(recorded, r["value"]):
                errors.append("%s: LAVA recorded %s, the guest's output says %s" % (case, recorded, r["value"]))
            metric, labels, unit = r["name"], dict(r["labels"]), r["unit"]
            summary = {k: _num(v) if k != "n" else v for k, v in r["summary"].items()}
            summary["median"] = _num(recorded) if summary.get("median") is None else summary["median"]
            better = r["better"]
        else:
            metric, labels = split_case(case)
            unit = c.get("units") or c.get("unit") or ""
            better = BETTER.get(metric, "lower")
            summary = only_median(recorded) if metric in DISTRIBUTIONS else single(recorded)
            if raw:
                errors.append("%s: recorded by LAVA but not in the guest's output" % case)
        if c.get("result") not in ("pass", "fail", "skip", "unknown"):
            errors.append("%s: unexpected LAVA result %r" % (case, c.get("result")))
        metrics.append({"name": metric, "unit": unit, "better": better, "labels": labels,
                        "summary": {k: summary.get(k) for k in SUMMARY_KEYS}})
    recorded_cases = {str(c.get("case")) for c in metric_cases}
    for case in raw:
        if case not in recorded_cases and status_case is not None:
            errors.append("%s: in the guest's output but LAVA recorded no test case for it" % case)

    where = {
        "environment": md.get("tcelab.environment") or "unknown",
        "host_kind": md.get("tcelab.host_kind") or "unknown",
        "machine": genv.get("MACHINE") or genv.get("MODEL") or "unknown",
        "cpu": genv.get("CPU") or "unknown",
        "kernel": genv.get("KERNEL") or "unknown",
        "tce_mode": md.get("tcelab.tce_mode") or "unknown",
    }
    if engine == "dma-map" and isinstance(raw_doc, dict) and isinstance(raw_doc.get("where"), dict):
        for k in ("machine", "cpu", "kernel"):
            where[k] = raw_doc["where"].get(k) or where[k]
    params = raw_parameters(engine, raw_doc, args) if isinstance(raw_doc, dict) else {"args": list(args)}
    params["lava"] = {"server": job["server"], "job_id": job["job_id"], "url": job.get("url"),
                      "cell": md.get("tcelab.cell"), "kernel": md.get("tcelab.kernel"),
                      "device": md.get("tcelab.device"), "repetition": md.get("tcelab.repetition"),
                      "test_cases": len(cases),
                      "raw": sorted("raw/%s/%s" % k for k in arts if k[0] == name)}
    if status_case is not None and status_case.get("result") == "pass" and not errors:
        status = "passed"
    elif skip_reasons and errors == skip_reasons:
        status = "skipped"  # left out on purpose, and nothing else went wrong
    else:
        status = "failed"
    if status == "failed" and not errors:
        errors.append("failed")
    return {
        "schema": "tcelab-result/1",
        "tool": engine,
        "version": VERSION,
        "name": name,
        "started": _iso(job.get("started")),
        "where": where,
        "parameters": params,
        "metrics": metrics,
        "status": status,
        "errors": errors,
    }


# ---------------------------------------------------------------- writing --
def atomic_write(path, data):
    d = os.path.dirname(path)
    os.makedirs(d, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".%s." % os.path.basename(path), dir=d)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _json(obj):
    return (json.dumps(obj, indent=2, allow_nan=False) + "\n").encode("utf-8")


def safe_key(text):
    return re.sub(r"[^A-Za-z0-9._-]+", "_", str(text)).strip("_") or "x"


def write(results_dir, job):
    """Build and write one job's files; returns the folder. Nothing is
    written unless everything was built."""
    job_doc, docs = build(job)
    folder = os.path.join(results_dir, safe_key(job["key"]))
    blobs = [(os.path.join(folder, "raw", safe_key(w), safe_key(f)), data)
             for (w, f), data in sorted((job.get("artifacts") or {}).items())]
    blobs += [(os.path.join(folder, "%s.result.json" % safe_key(n)), _json(d)) for n, d in docs.items()]
    blobs.append((os.path.join(folder, "job.json"), _json(job_doc)))  # last: marks it complete
    try:
        for path, data in blobs:
            atomic_write(path, data)
    except OSError as exc:
        raise LavaError("%s: cannot write: %s" % (folder, exc.strerror or exc))
    return folder, job_doc, docs
