"""`tcelab lava collect`: LAVA results -> the suite's result JSON.

From a lava-server (REST API v0.2): the job (state, health, definition), its
suites and test cases (paged) and its log (for the raw files the guest sent
and its error lines). From a run-local folder: lava-run's log and the job.
Each job is written to RESULTS/<server>-<job id>/ (results.py): collecting
again replaces the same files. A job that cannot be collected is reported and
the others still are; nothing written before is removed."""
import json
import os
import socket

import yaml

from . import lavalog, rest, results
from .errors import LavaError


def _health(job_result):
    if job_result is None:
        return "Incomplete"
    if job_result.get("result") == "pass":
        return "Complete"
    if job_result.get("error_type") == "Canceled":
        return "Canceled"
    return "Incomplete"


def _failure(job_result):
    if not job_result or job_result.get("result") == "pass":
        return None
    msg = job_result.get("error_msg")
    return {"error_type": job_result.get("error_type"), "error_msg": msg.strip() if isinstance(msg, str) else msg}


def from_run_dir(run_dir, results_dir):
    """A run-local folder (runlocal.py) -> result JSON; returns (folder, job_doc, docs)."""
    run_dir = os.path.abspath(run_dir)
    need = [os.path.join(run_dir, f) for f in ("job.yaml", "lava-run.log")]
    for p in need:
        if not os.path.isfile(p):
            raise LavaError("%s: not a run-local folder (no %s)" % (run_dir, os.path.basename(p)))
    try:
        with open(os.path.join(run_dir, "run.json")) as f:
            record = json.load(f)
    except (OSError, ValueError):
        record = {}
    try:
        with open(need[0], encoding="utf-8") as f:
            definition = yaml.safe_load(f) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise LavaError("%s: cannot read the job: %s" % (need[0], exc))
    log = lavalog.read_file(need[1])
    job_id = record.get("job_id") or os.path.basename(run_dir).replace("local-", "")
    failure = _failure(log.job)
    if log.job is None:
        failure = {"error_type": None,
                   "error_msg": "lava-run ended without a job result (exit status %s)" % record.get("exit")}
    job = {
        "key": "local-%s-%s" % (record.get("host") or socket.gethostname(), job_id),
        "server": "lava-run@%s" % (record.get("host") or socket.gethostname()),
        "job_id": job_id,
        "url": "file://" + run_dir,
        "definition": definition,
        "metadata": definition.get("metadata") or {},
        "state": "Finished",
        "health": _health(log.job),
        "failure": failure,
        "results": log.results,
        "artifacts": log.artifacts,
        "errors": log.errors,
        "skips": log.skips,
        "problems": log.problems,
        "guest_errors": log.guest_errors,
        "started": log.first_dt,
        "log_source": os.path.join(run_dir, "lava-run.log"),
    }
    return results.write(results_dir, job)


def _case_to_result(case, suites):
    """A REST test case -> the dict lava-run logs (definition, case, result, ...)."""
    md = {}
    if case.get("metadata"):
        try:
            md = yaml.safe_load(case["metadata"]) or {}
        except yaml.YAMLError:
            md = {}
    suite = suites.get(case.get("suite")) or md.get("definition")
    r = {"definition": suite, "case": case.get("name"), "result": case.get("result")}
    if case.get("measurement") is not None:
        r["measurement"] = case["measurement"]
    if case.get("unit"):
        r["units"] = case["unit"]
    if isinstance(md, dict):
        for k in ("set", "error_type", "error_msg"):
            if md.get(k) is not None:
                r[k] = md[k]
    return r


def from_server(client, job_id, results_dir):
    what = "job %s" % job_id
    job = client.get_json("jobs/%s/" % job_id, what)
    state, health = job.get("state"), job.get("health")
    try:
        definition = yaml.safe_load(job.get("definition") or "") or {}
    except yaml.YAMLError:
        definition = {}
    if state != "Finished":
        raise LavaError("%s: %s is %s: not collected yet (collect it again when it has finished)"
                        % (client.server, what, state))
    suites = {s["id"]: s["name"] for s in client.paged("jobs/%s/suites/" % job_id, what + " suites")}
    cases = client.paged("jobs/%s/tests/" % job_id, what + " test cases")
    res = [_case_to_result(c, suites) for c in cases]
    job_case = next((r for r in res if r["definition"] == "lava" and r["case"] == "job"), None)
    problems = []
    try:
        log = lavalog.read_lines(client.get_text("jobs/%s/logs/" % job_id, what + " log").splitlines())
    except LavaError as exc:
        log = lavalog.JobLog()
        problems.append("no job log: %s" % exc)
    failure = _failure(job_case)
    if failure is None and health != "Complete":
        # no "job" case yet: a job cancelled before it ran. LAVA's class for
        # a cancellation is Canceled, as its own job case would have said.
        failure = {"error_type": "Canceled" if health == "Canceled" else None,
                   "error_msg": job.get("failure_comment") or "job health %s" % health}
    data = {
        "key": "%s-%s" % (rest.server_key(client.server), job_id),
        "server": client.server,
        "job_id": int(job_id),
        "url": "%sscheduler/job/%s" % (client.base, job_id),
        "definition": definition,
        "metadata": definition.get("metadata") or {},
        "state": state,
        "health": health,
        "failure": failure,
        "results": res,
        "artifacts": log.artifacts,
        "errors": log.errors,
        "skips": log.skips,
        "problems": problems + log.problems,
        "guest_errors": log.guest_errors,
        "started": job.get("start_time") or job.get("submit_time"),
        "log_source": "%sapi/v0.2/jobs/%s/logs/" % (client.base, job_id),
    }
    return results.write(results_dir, data)


def main(a, say):
    from .runlocal import default_results, summary
    results_dir = os.path.abspath(a.results or default_results())
    failed = 0
    if a.lava_run_dir:
        if a.server or a.job_ids:
            raise LavaError("give either --lava-run-dir DIR... or --server URL JOB_ID...")
        for d in a.lava_run_dir:
            try:
                summary(*from_run_dir(d, results_dir), say)
            except LavaError as exc:
                say(str(exc))
                failed += 1
    else:
        if not a.server or not a.job_ids:
            raise LavaError("collect needs --server URL and job ids, or --lava-run-dir DIR")
        token = os.environ.get("LAVA_TOKEN") or None
        client = rest.Client(a.server, token=token, retries=a.retries, timeout=a.timeout)
        for jid in a.job_ids:
            if not str(jid).isdigit():
                say("'%s' is not a job id" % jid)
                failed += 1
                continue
            try:
                summary(*from_server(client, jid, results_dir), say)
            except LavaError as exc:
                say(str(exc))
                failed += 1
    if failed:
        say("%d job(s) not collected" % failed)
    return 1 if failed else 0
