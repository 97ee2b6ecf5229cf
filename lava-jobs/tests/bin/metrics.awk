# metrics.awk: the metrics of one workload's output, from json-flatten.awk's
# lines, as the suite's result schema names them (docs/result-json.md):
#
#   awk -v engine=dma-map|fio|iperf3 -f metrics.awk FLAT
#
# prints
#   metric <TAB> CASE <TAB> VALUE <TAB> UNIT     one per metric, in document order
#   error <TAB> MESSAGE                          what the output says went wrong
#
# CASE is the LAVA test case name: the metric name, then each label as
# ".KEY+VALUE" (fio: clat.job+randread-qd1.direction+read), characters outside
# [-_A-Za-z0-9] in keys and values made "_", so that it fits LAVA's result URLs
# and the collector can split it again. VALUE is the number the tool wrote:
# summary.median for dma-map (every dma-map metric is a distribution), the
# value itself for fio's and iperf3's single values, the 50th percentile for
# fio's completion latency. A metric without a number gives VALUE "-".

BEGIN {
	FS = "\t"
	SEP = "\034"
	nm = 0
	if (engine != "dma-map" && engine != "fio" && engine != "iperf3") {
		print "error\tmetrics.awk: unknown engine '" engine "'"
		bad = 1
		exit
	}
}

function clean(s) {
	gsub(/[^-_A-Za-z0-9]/, "_", s)
	return s
}

function num(v) {
	return (v ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/) ? v : "-"
}

# Remember label KEY=VALUE of metric index i, in order.
function label(i, key, value) {
	nl[i]++
	lk[i, nl[i]] = key
	lv[i, nl[i]] = value
}

function casename(i, name,   j, s) {
	s = clean(name)
	for (j = 1; j <= nl[i]; j++)
		s = s "." clean(lk[i, j]) "+" clean(lv[i, j])
	return s
}

{
	np = split($1, p, SEP)
	type = $2
	value = $3
	top[p[1]] = 1
}

# ---------------------------------------------------------------- dma-map --
engine == "dma-map" {
	if (np == 1 && p[1] == "status") status = value
	else if (np == 2 && p[1] == "errors") errs[++nerr] = value
	else if (np == 1 && p[1] == "schema") schema = value
	else if (p[1] == "metrics" && np >= 3) {
		i = p[2] + 1
		if (i > nm) nm = i
		if (np == 3 && p[3] == "name") mname[i] = value
		else if (np == 3 && p[3] == "unit") munit[i] = value
		else if (np == 4 && p[3] == "labels") label(i, p[4], value)
		else if (np == 4 && p[3] == "summary" && p[4] == "median") mval[i] = value
	}
	next
}

# -------------------------------------------------------------------- fio --
engine == "fio" && p[1] == "jobs" && np >= 3 {
	j = p[2] + 1
	if (j > njobs) njobs = j
	if (np == 3 && p[3] == "jobname") jobname[j] = value
	else if (np == 3 && p[3] == "error") joberr[j] = value
	else if (np == 3 && p[3] == "total_err") jobterr[j] = value
	else if (np == 4 && (p[3] == "read" || p[3] == "write" || p[3] == "trim")) {
		if (p[4] == "io_bytes" || p[4] == "iops" || p[4] == "bw_bytes")
			fio[j, p[3], p[4]] = value
	} else if (np == 6 && p[4] == "clat_ns" && p[5] == "percentile" && p[6] == "50.000000")
		fio[j, p[3], "p50"] = value
	next
}

# ----------------------------------------------------------------- iperf3 --
engine == "iperf3" {
	if (np == 1 && p[1] == "error") iperr = value
	else if (np == 3 && p[1] == "end" && (p[2] == "sum_sent" || p[2] == "sum_received")) {
		if (p[3] == "bits_per_second" || p[3] == "bytes" || p[3] == "retransmits")
			ip[p[2], p[3]] = value
	}
	next
}

function out(name, value, unit) {
	print "metric\t" name "\t" num(value) "\t" unit
}

END {
	if (bad) exit 1
	if (engine == "dma-map") {
		if (schema != "tcelab-result/1") print "error\tnot a tcelab result document (schema '" schema "')"
		for (i = 1; i <= nm; i++)
			out(casename(i, mname[i]), mval[i], munit[i])
		for (e = 1; e <= nerr; e++) print "error\t" errs[e]
		if (status != "passed" && status != "failed") print "error\tno valid status ('" status "')"
		else if (status == "failed" && nerr == 0) print "error\tdma-map reported failure"
	} else if (engine == "fio") {
		if (!top["jobs"] && !njobs) print "error\tno \"jobs\" array: not fio's JSON output"
		else if (njobs == 0) print "error\tfio ran no job"
		split("read write trim", dirs, " ")
		for (j = 1; j <= njobs; j++) {
			for (x = 1; x <= 3; x++) {
				dir = dirs[x]
				if (!((j, dir, "io_bytes") in fio) || fio[j, dir, "io_bytes"] + 0 <= 0) continue
				nl[0] = 0
				label(0, "job", jobname[j]); label(0, "direction", dir)
				out(casename(0, "iops"), fio[j, dir, "iops"], "ops/s")
				out(casename(0, "bandwidth"), fio[j, dir, "bw_bytes"], "bytes/s")
				out(casename(0, "io_bytes"), fio[j, dir, "io_bytes"], "bytes")
				out(casename(0, "clat"), fio[j, dir, "p50"], "ns")
			}
			if (j in jobterr) {
				nl[0] = 0
				label(0, "job", jobname[j])
				out(casename(0, "total_err"), jobterr[j], "count")
			}
			if (joberr[j] != "" && joberr[j] + 0 != 0)
				print "error\tfio job '" jobname[j] "': error " joberr[j]
			else if (jobterr[j] + 0 > 0)
				print "error\tfio job '" jobname[j] "': " jobterr[j] " I/O errors"
		}
	} else {
		if (!top["start"] || !top["end"]) print "error\tno \"start\" or \"end\" object: not iperf3's JSON output (-J)"
		split("sum_sent sent sum_received received", sides, " ")
		found = 0
		for (x = 1; x <= 3; x += 2) {
			if (!((sides[x], "bits_per_second") in ip)) continue
			found++
			nl[0] = 0
			label(0, "direction", sides[x + 1])
			out(casename(0, "bandwidth"), ip[sides[x], "bits_per_second"], "bits/s")
			out(casename(0, "bytes"), ip[sides[x], "bytes"], "bytes")
			if ((sides[x], "retransmits") in ip)
				out(casename(0, "retransmits"), ip[sides[x], "retransmits"], "count")
		}
		if (iperr != "") print "error\tiperf3: " iperr
		else if (!found && top["end"]) print "error\tiperf3 reported no end.sum_sent or end.sum_received (UDP is not supported)"
	}
}
