// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcelab-proof: the nested lab's L1 host collects proof of the TCE path
 * with it (guest-images/host-init); see proof.h for the evidence.
 *
 *   tcelab-proof kvmstat [--debugfs DIR] [--pid PID]
 *       The suite's TCE counters (tce_*) of every VM of PID (default: all
 *       VMs) summed, "name value" a line, from DIR (default
 *       /sys/kernel/debug/kvm, one PID-FD folder per VM). Prints nothing
 *       (and exits 0) when the counters do not exist: stock modules.
 *
 *   tcelab-proof summarize --mode in-kernel|userspace --phbs 1,2
 *       [--switch shim|param|none] [--qemu-trace FILE [--qemu-light]] [--tracefs FILE]
 *       [--tracefs-lost N] [--kvmstat FILE] [--shim-log FILE]
 *       [--dmesg FILE] [--json OUT]
 *       --qemu-light: QEMU traced only tables and group attaches, not one
 *       event per TCE hcall (those cost about 1 ms each under TCG).
 *       Judge the evidence against the mode: one line on stdout
 *       ("tce-proof: pass in-kernel source=counters total=N user=M"),
 *       the checks, and with --json the whole proof. Exit 0 when the
 *       evidence agrees with the mode, 1 when it contradicts it, 2 for
 *       bad arguments or unreadable evidence.
 */
#include <dirent.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proof.h"
#include "tcelab/error.h"
#include "tcelab/json_writer.h"

static void usage(FILE *f)
{
	fputs("usage: tcelab-proof kvmstat [--debugfs DIR] [--pid PID]\n"
	      "       tcelab-proof summarize --mode in-kernel|userspace --phbs LIST\n"
	      "                 [--switch shim|param|none] [--qemu-trace FILE [--qemu-light]]\n"
	      "                 [--tracefs FILE]\n"
	      "                 [--tracefs-lost N] [--kvmstat FILE] [--shim-log FILE]\n"
	      "                 [--dmesg FILE] [--json OUT]\n",
	      f);
}

static const char *const kvmstat_names[] = {
	"kernel", "user", "failed",
};

static int cmd_kvmstat(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "debugfs", required_argument, NULL, 'd' },
		{ "pid", required_argument, NULL, 'p' },
		{ 0 },
	};
	const char *dir = "/sys/kernel/debug/kvm";
	const char *pid = NULL;
	uint64_t totals[TCE_NKINDS][3] = { { 0 } };
	bool any = false;
	struct dirent *de;
	DIR *d;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': dir = optarg; break;
		case 'p': pid = optarg; break;
		default: usage(stderr); return 2;
		}
	}
	d = opendir(dir);
	if (!d) {
		perror(dir);
		return 2;
	}
	while ((de = readdir(d)) != NULL) {
		const char *dash = strchr(de->d_name, '-');

		/* VM folders are PID-FD; skip ".", "..", the global stats files */
		if (!dash || de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (pid && (strncmp(de->d_name, pid, dash - de->d_name) != 0 ||
			    strlen(pid) != (size_t)(dash - de->d_name)))
			continue;
		for (int k = 0; k < TCE_NKINDS; k++)
			for (int w = 0; w < 3; w++) {
				char path[512];
				unsigned long long v;
				FILE *f;

				snprintf(path, sizeof(path), "%s/%s/tce_%s_%s", dir, de->d_name,
					 tce_kind_names[k], kvmstat_names[w]);
				f = fopen(path, "r");
				if (!f)
					continue;
				if (fscanf(f, "%llu", &v) == 1) {
					totals[k][w] += v;
					any = true;
				}
				fclose(f);
			}
	}
	closedir(d);
	if (!any)
		return 0;
	for (int k = 0; k < TCE_NKINDS; k++)
		for (int w = 0; w < 3; w++)
			printf("tce_%s_%s %" PRIu64 "\n", tce_kind_names[k], kvmstat_names[w], totals[k][w]);
	return 0;
}

static int cmd_summarize(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "mode", required_argument, NULL, 'm' },
		{ "phbs", required_argument, NULL, 'P' },
		{ "switch", required_argument, NULL, 's' },
		{ "qemu-trace", required_argument, NULL, 'q' },
		{ "qemu-light", no_argument, NULL, 'Q' },
		{ "tracefs", required_argument, NULL, 't' },
		{ "tracefs-lost", required_argument, NULL, 'l' },
		{ "kvmstat", required_argument, NULL, 'k' },
		{ "shim-log", required_argument, NULL, 'S' },
		{ "dmesg", required_argument, NULL, 'D' },
		{ "json", required_argument, NULL, 'j' },
		{ 0 },
	};
	const char *mode = NULL, *phbs = NULL, *sw = "none", *json = NULL;
	const char *qemu = NULL, *tracefs = NULL, *kvmstat = NULL, *shim = NULL, *dmesg = NULL;
	unsigned long long lost = 0;
	bool light = false;
	struct proof_verdict v;
	struct tl_error e;
	struct proof p;
	enum proof_mode m;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'm': mode = optarg; break;
		case 'P': phbs = optarg; break;
		case 's': sw = optarg; break;
		case 'q': qemu = optarg; break;
		case 'Q': light = true; break;
		case 't': tracefs = optarg; break;
		case 'l': lost = strtoull(optarg, NULL, 10); break;
		case 'k': kvmstat = optarg; break;
		case 'S': shim = optarg; break;
		case 'D': dmesg = optarg; break;
		case 'j': json = optarg; break;
		default: usage(stderr); return 2;
		}
	}
	if (!mode || !phbs) {
		usage(stderr);
		return 2;
	}
	if (proof_mode_parse(mode, &m, &e))
		goto bad;
	proof_init(&p, m);
	snprintf(p.tce_switch, sizeof(p.tce_switch), "%s", sw);
	p.qemu_per_call = !light;
	if (proof_phbs_parse(&p, phbs, &e) ||
	    (qemu && proof_feed_file(&p, proof_qemu_line, qemu, &e)) ||
	    (tracefs && proof_feed_file(&p, proof_tracefs_line, tracefs, &e)) ||
	    (kvmstat && proof_feed_file(&p, proof_counters_line, kvmstat, &e)) ||
	    (shim && proof_feed_file(&p, proof_shim_line, shim, &e)) ||
	    (dmesg && proof_feed_file(&p, proof_dmesg_line, dmesg, &e)))
		goto bad;
	p.tp_lost = lost;
	proof_judge(&p, &v);
	printf("tce-proof: %s %s source=%s total=%" PRIu64 " user=%" PRIu64 "\n",
	       v.pass ? "pass" : "FAIL", proof_mode_name(m), v.source, v.total_calls, v.user_calls);
	for (size_t i = 0; i < v.nnotes; i++)
		printf("tce-proof:   %s\n", v.notes[i]);
	if (json) {
		char tmp[4096];
		struct json_writer w;
		FILE *f;

		snprintf(tmp, sizeof(tmp), "%s.tmp", json);
		f = fopen(tmp, "w");
		if (!f) {
			tl_err_errno(&e, "%s", tmp);
			goto bad;
		}
		jw_init(&w, f, true);
		proof_write_json(&w, NULL, &p, &v);
		if (jw_finish(&w, &e) || fclose(f) || rename(tmp, json)) {
			tl_err_errno(&e, "cannot write %s", json);
			goto bad;
		}
	}
	return v.pass ? 0 : 1;
bad:
	fprintf(stderr, "tcelab-proof: %s\n", e.msg);
	return 2;
}

int main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "kvmstat") == 0)
		return cmd_kvmstat(argc - 1, argv + 1);
	if (argc >= 2 && strcmp(argv[1], "summarize") == 0)
		return cmd_summarize(argc - 1, argv + 1);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
