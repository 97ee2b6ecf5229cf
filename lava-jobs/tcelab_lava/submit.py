"""`tcelab lava submit`: job files -> a LAVA server (REST API v0.2).

The token comes from LAVA_TOKEN or a lavacli identity and is never printed.
Each submitted job is recorded as "SERVER JOB_ID FILE" so that
`tcelab lava collect` can fetch it later."""
import os

from . import generate, rest
from .errors import LavaError


def _job_files(args):
    files = []
    for a in args:
        if os.path.isdir(a):
            jobs = os.path.join(a, "jobs") if os.path.isdir(os.path.join(a, "jobs")) else a
            found = sorted(os.path.join(jobs, f) for f in os.listdir(jobs) if f.endswith(".yaml"))
            if not found:
                raise LavaError("%s: no job files (*.yaml)" % jobs)
            files += found
        else:
            files.append(a)
    return files


def main(a, say):
    if a.identity:
        uri, token = rest.token_from_lavacli(a.identity)
        server = a.server or uri
    else:
        server, token = a.server, os.environ.get("LAVA_TOKEN")
    if not server:
        raise LavaError("submit needs --server URL or --identity ID")
    if not token:
        raise LavaError("submitting needs a token: set LAVA_TOKEN or use --identity (lavacli)")
    files = _job_files(a.jobs)
    for f in files:  # all valid before any is submitted
        generate.validate_file(f)
    client = rest.Client(server, token=token)
    record = a.record or (os.path.join(a.jobs[0], "submitted.txt") if os.path.isdir(a.jobs[0]) else None)
    for f in files:
        with open(f, encoding="utf-8") as fh:
            text = fh.read()
        answer = client.post_json("jobs/", "submitting %s" % f, {"definition": text})
        ids = answer.get("job_ids") if isinstance(answer, dict) else None
        if not ids:
            raise LavaError("%s: submitting %s: unexpected answer %s" % (client.server, f, str(answer)[:200]))
        for jid in ids:
            print("%s %s %s" % (client.server, jid, f))
            if record:
                with open(record, "a") as r:
                    r.write("%s %s %s\n" % (client.server, jid, f))
    say("%d job(s) submitted to %s" % (len(files), client.server))
    return 0
