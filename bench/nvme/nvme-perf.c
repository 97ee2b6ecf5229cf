// SPDX-License-Identifier: GPL-2.0-only
/*
 * nvme-perf: a small polled NVMe driver in userspace over VFIO, and a
 * benchmark on top of it, in the spirit of SPDK's perf tool. The point is
 * the DMA mapping pattern, which it controls: buffers mapped once
 * (premapped), per I/O (map-per-io) or N at a time (map-batch=N). In a
 * POWER guest each map and unmap is one or more TCE hypercalls, so this
 * measures how the host handles them under real I/O.
 *
 * Bring-up: check the device is an NVMe controller (class 0x010802) before
 * touching it, bind it to vfio-pci (refused when the host uses it), open
 * its VFIO group and device, map BAR0, reset the function if VFIO can,
 * turn on bus mastering, disable the controller, set up the admin queue,
 * enable, Identify, create the I/O queue pairs. Teardown, on every path
 * (Ctrl-C included): delete the queues, disable the controller, bus
 * mastering off, unmap and free DMA memory, close VFIO (vfio-pci resets
 * the device on release). The device stays bound to vfio-pci.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/timing.h"
#include "io.h"
#include "report.h"
#include "session.h"

static struct session S;

static void on_signal(int sig)
{
	(void)sig;
	nvme_stop = 1;
}

static void add_error(struct session *s, const char *msg)
{
	fprintf(stderr, "nvme-perf: %s\n", msg);
	if (s->nerrors < MAX_ERRORS)
		s->errors[s->nerrors++] = strdup(msg);
}

static void flush(struct session *s)
{
	struct tl_error e;

	if (s->outstanding)
		return;
	if (nvme_flush_sync(&s->ctrl, &s->perf.q[0].qp, s->ns.nsid, (uint16_t)s->o.qd,
			    IO_TIMEOUT_MS, &e))
		add_error(s, e.msg);
}

/* One write pass and one read pass over the range; mismatches fail. */
static void run_verify(struct session *s)
{
	const struct options *o = &s->o;
	uint32_t nlb = (uint32_t)(o->bs / s->ns.lba_size);
	uint64_t ios = (o->lba_count + nlb - 1) / nlb;
	struct workload w;
	struct tl_error e;
	char msg[512];

	workload_init(&w, WL_WRITE, 0, o->lba_start, o->lba_count, nlb, ios, 0);
	if (run_phase(&s->perf, &w, 0, true, &s->st, &e)) {
		s->outstanding = true;
		add_error(s, e.msg);
		return;
	}
	if (s->st.io_errors || s->st.map_errors || s->st.interrupted)
		return;
	flush(s);
	workload_init(&w, WL_READ, 0, o->lba_start, o->lba_count, nlb, ios, 0);
	if (run_phase(&s->perf, &w, 0, true, &s->st, &e)) {
		s->outstanding = true;
		add_error(s, e.msg);
		return;
	}
	if (s->st.io_errors || s->st.map_errors || s->st.interrupted)
		return;
	if (s->st.verify_mismatches) {
		const struct mismatch *m = &s->st.first_mismatch;

		snprintf(msg, sizeof(msg), "verify FAILED on %s namespace %u: %llu of %llu reads "
			 "returned other data than was written; first at LBA %llu (byte 0x%llx of "
			 "the namespace), offset %u in the block: expected 0x%02x, read 0x%02x",
			 s->dev.addr, s->ns.nsid, (unsigned long long)s->st.verify_mismatches,
			 (unsigned long long)ios, (unsigned long long)m->lba,
			 (unsigned long long)(m->lba * s->ns.lba_size + m->offset), m->offset,
			 m->expected, m->actual);
		add_error(s, msg);
	} else {
		snprintf(s->verdict, sizeof(s->verdict), "verify passed: LBA %llu to %llu (%llu "
			 "blocks of %u B) written and read back identical, pattern seed 0x%016llx",
			 (unsigned long long)o->lba_start,
			 (unsigned long long)(o->lba_start + o->lba_count - 1),
			 (unsigned long long)o->lba_count, s->ns.lba_size,
			 (unsigned long long)s->perf.seed);
	}
}

static void run_workload(struct session *s)
{
	const struct options *o = &s->o;
	struct workload w;
	struct tl_error e;

	workload_init(&w, o->workload, o->rwmix_read, o->lba_start, o->lba_count,
		      (uint32_t)(o->bs / s->ns.lba_size), o->ios, s->perf.seed);
	if (run_phase(&s->perf, &w, o->ios ? 0 : o->time_s, false, &s->st, &e)) {
		s->outstanding = true;
		add_error(s, e.msg);
		return;
	}
	if (workload_writes(o->workload) && !s->st.io_errors)
		flush(s);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESETHAND };
	struct session *s = &S;
	struct tl_error e;
	int status;

	if (parse_options(argc, argv, &s->o, &e)) {
		fprintf(stderr, "nvme-perf: %s\n", e.msg);
		usage(stderr);
		return 2;
	}
	/* the first Ctrl-C stops the run and cleans up; a second one kills */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	run_stats_init(&s->st);
	s->perf.seed = ((uint64_t)time(NULL) << 20) ^ (uint64_t)getpid() ^ 0x7ce1ab5eedull;
	if (timing_init(&e) || session_bring_up(s, &e)) {
		add_error(s, e.msg);
	} else {
		if (s->o.verify)
			run_verify(s);
		else
			run_workload(s);
		if (s->st.first_error[0])
			add_error(s, s->st.first_error);
		if (s->st.interrupted)
			add_error(s, "interrupted: the run stopped early");
		{
			struct report_ctx r = { &s->o, &s->perf, vfio_iommu_name(s->dev.iommu),
						s->o.verify ? "verify" : workload_names[s->o.workload],
						(const char *const *)s->errors, s->nerrors };

			report_human(stdout, &r, &s->st);
			if (s->verdict[0])
				printf("%s\n", s->verdict);
			if (s->o.json_path && report_json(s->o.json_path, &r, &s->st, &e))
				add_error(s, e.msg);
		}
	}
	session_teardown(s);
	status = s->nerrors ? 1 : 0;
	for (size_t i = 0; i < s->nerrors; i++)
		free(s->errors[i]);
	return status;
}
