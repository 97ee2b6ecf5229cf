"""`tcelab lava run-local JOB.yaml`: one qemu job through LAVA's lava-run.

lava-run is lava-dispatcher without a server: it takes the job, a rendered
device dictionary and writes its whole log (results included) to stderr.
This renders the device dictionary with the job's context (device.py), runs
lava-run as root under `timeout`, keeps everything in a run folder and
hands it to the collector:

  RESULTS/runs/local-<id>/   job.yaml (as run), device.yaml, lava-run.log
                             (lava-run's stderr: LAVA's job log), run.json,
                             output/ (lava-run --output-dir)
  RESULTS/local-<host>-<id>/ the suite's result JSON (results.py)
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

import yaml

from . import collect, device, generate, lavalog
from .errors import LavaError

REPO = generate.REPO


def default_results():
    return os.environ.get("TCELAB_LAVA_RESULTS") or os.path.join(REPO, "results", "lava")


def has_default_route():
    try:
        with open("/proc/net/route") as f:
            return any(line.split()[1] == "00000000" for line in list(f)[1:] if len(line.split()) > 1)
    except OSError:
        return False


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _iperf_definitions(job):
    out = []
    for action in job.get("actions") or []:
        for d in ((action.get("test") or {}).get("definitions") or []) if isinstance(action, dict) else []:
            if os.path.basename(str(d.get("path", ""))) == "iperf3.yaml":
                out.append(d)
    return out


def start_iperf(job, run_dir, say):
    """The job has an iperf3 workload and no server: start a one-off iperf3
    server on this host's loopback and point the workload at it through
    QEMU's user network (the guest reaches host 127.0.0.1 as 10.0.2.2)."""
    defs = [d for d in _iperf_definitions(job) if not (d.get("parameters") or {}).get("TCELAB_IPERF_SERVER")]
    if not defs:
        return None
    iperf3 = shutil.which("iperf3")
    if not iperf3:
        say("no iperf3 on this host: the iperf3 workload will be reported as skipped")
        return None
    port = free_port()
    log = open(os.path.join(run_dir, "iperf3-server.log"), "wb")
    proc = subprocess.Popen([iperf3, "-s", "-B", "127.0.0.1", "-p", str(port)],
                            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    log.close()
    for d in defs:
        d.setdefault("parameters", {})
        d["parameters"]["TCELAB_IPERF_SERVER"] = "10.0.2.2"
        d["parameters"]["TCELAB_IPERF_PORT"] = str(port)
    say("iperf3 server on 127.0.0.1:%d (pid %d) for the guest at 10.0.2.2:%d" % (port, proc.pid, port))
    return proc


def _job_seconds(job):
    t = (job.get("timeouts") or {}).get("job") or {}
    return int(t.get("seconds", 0)) + 60 * int(t.get("minutes", 0)) + 3600 * int(t.get("hours", 0)) or 1800


def _progress(line, say):
    """While lava-run runs: the guest's TCELAB markers (not the artifacts),
    each workload's verdict, and the job's result."""
    if '"lvl": "target"' in line and "TCELAB-" in line and "TCELAB-ARTIFACT" not in line:
        entry = lavalog.parse_line(line)
        msg = str((entry or {}).get("msg", ""))
        if "TCELAB-" in msg and "LAVA_SIGNAL" not in msg:
            say("guest: %s" % msg[:200])
    elif '"lvl": "results"' in line:
        m = (lavalog.parse_line(line) or {}).get("msg") or {}
        if m.get("definition") == "lava":
            if m.get("case") == "job":
                say("lava: job %s%s" % (m.get("result"), " (%s: %s)" % (m.get("error_type"), m.get("error_msg"))
                                        if m.get("error_type") else ""))
        elif m.get("case") == m.get("set"):
            say("lava: test case %s %s" % (m.get("case"), m.get("result")))


def run(job_path, results_dir=None, job_id=None, timeout=None, iperf=True, say=print, quiet=False):
    if os.geteuid() != 0:
        raise LavaError("lava-run refuses to run as a normal user: run `tcelab lava run-local` as root")
    job = generate.validate_file(job_path)
    if job.get("device_type") != "qemu":
        raise LavaError("%s: device type '%s': run-local runs jobs for LAVA's qemu device type only "
                        "(hardware jobs need a lab: tcelab lava submit)" % (job_path, job.get("device_type")))
    lava_run = shutil.which("lava-run")
    if not lava_run:
        raise LavaError("lava-run not found: install lava-dispatcher (scripts/setup-lava)")
    results_dir = os.path.abspath(results_dir or default_results())
    job_id = job_id or int(time.time() * 10) % 1000000000
    run_dir = os.path.join(results_dir, "runs", "local-%d" % job_id)
    if os.path.exists(run_dir):
        raise LavaError("%s exists: pick another --job-id" % run_dir)
    os.makedirs(run_dir)

    dev_text = device.qemu_local(job.get("context") or {})
    with open(os.path.join(run_dir, "device.yaml"), "w") as f:
        f.write(dev_text)
    iperf_proc = start_iperf(job, run_dir, say) if iperf else None
    with open(os.path.join(run_dir, "job.yaml"), "w") as f:
        yaml.safe_dump(job, f, sort_keys=False, default_flow_style=False, width=1000)
    cmd = [lava_run, "--job-id", str(job_id), "--output-dir", os.path.join(run_dir, "output"),
           "--device", os.path.join(run_dir, "device.yaml")]
    if not has_default_route():
        # lava-run looks up the dispatcher's address at validation time.
        with open(os.path.join(run_dir, "dispatcher.yaml"), "w") as f:
            f.write("# no default route on this host: lava-run needs an address\ndispatcher_ip: 127.0.0.1\n")
        cmd += ["--dispatcher", os.path.join(run_dir, "dispatcher.yaml")]
    cmd.append(os.path.join(run_dir, "job.yaml"))
    limit = timeout or _job_seconds(job) + 60
    # timeout: SIGTERM makes lava-run cancel the job (error_type Canceled,
    # QEMU killed); -k: SIGKILL a minute later if it does not end.
    cmd = ["timeout", "-k", "60", str(limit)] + cmd
    record = {"schema": "tcelab-lava-local/1", "job_id": job_id, "host": socket.gethostname(),
              "job_file": os.path.abspath(job_path), "command": cmd,
              "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "exit": None}
    with open(os.path.join(run_dir, "run.json"), "w") as f:
        json.dump(record, f, indent=2)
    say("lava-run job %d (%s), log %s" % (job_id, job.get("job_name"), os.path.join(run_dir, "lava-run.log")))
    t0 = time.time()
    try:
        with open(os.path.join(run_dir, "lava-run.log"), "w") as log, \
                open(os.path.join(run_dir, "stdout.log"), "w") as out:
            proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                                    text=True, errors="replace", env=_env())
            try:
                for line in proc.stderr:
                    log.write(line)
                    if not quiet:
                        _progress(line, say)
            except KeyboardInterrupt:
                proc.send_signal(signal.SIGTERM)
                for line in proc.stderr:
                    log.write(line)
            rc = proc.wait()
    finally:
        if iperf_proc:
            iperf_proc.terminate()
            try:
                iperf_proc.wait(10)
            except subprocess.TimeoutExpired:
                iperf_proc.kill()
    record["exit"] = rc
    record["seconds"] = round(time.time() - t0, 1)
    record["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with open(os.path.join(run_dir, "run.json"), "w") as f:
        json.dump(record, f, indent=2)
    if rc == 124:
        say("lava-run stopped at the %d s limit" % limit)
    folder, job_doc, docs = collect.from_run_dir(run_dir, results_dir)
    return rc, folder, job_doc, docs


def _env():
    env = dict(os.environ)
    # lava-run and its helpers are Debian's; never a pyenv/venv python.
    env["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
    return env


def main(a, say):
    rc, folder, job_doc, docs = run(a.job, a.results, a.job_id, a.timeout, not a.no_iperf, say)
    summary(folder, job_doc, docs, say)
    failed = [n for n, d in docs.items() if d["status"] != "passed"]
    vh = job_doc.get("validate_host")
    if vh and vh["result"] != "pass":
        failed.append("validate-host")
    return 0 if rc == 0 and job_doc["health"] == "Complete" and not failed else 1


def summary(folder, job_doc, docs, say):
    f = job_doc.get("failure")
    say("job %s: %s%s" % (job_doc["job_id"], job_doc["health"],
                          " (%s: %s)" % (f["error_type"], f["error_msg"]) if f else ""))
    for n, d in docs.items():
        say("  %s: %s, %d metric(s)%s" % (n, d["status"], len(d["metrics"]),
                                          "; " + d["errors"][0] if d["errors"] else ""))
    vh = job_doc.get("validate_host")
    if vh:
        c = vh["counts"]
        say("  validate-host: %s; %d checks: %d pass, %d fail, %d skip, %d unknown (XFAIL in emulation)%s"
            % (vh["result"], len(vh["checks"]), c["pass"], c["fail"], c["skip"], c["unknown"],
               "; failed: " + " ".join(k for k, v in vh["checks"].items() if v == "fail") if c["fail"] else ""))
    say("results in %s" % folder)
    print(folder)
    sys.stdout.flush()
