/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the runner puts in the share for the guest (docs/lab-protocol.md,
 * "The share"): env, plan and jobs/, and an empty out/ for the guest.
 */
#ifndef LAB_SHARE_H
#define LAB_SHARE_H

struct lab_machine;
struct lab_options;
struct plan;
struct tl_error;

struct share_settings {
	const struct lab_machine *machine;
	int iperf_port;   /* 0: no iperf3 server */
	int step_timeout; /* seconds */
	const char *jobs_dir;
	const struct lab_options *opts; /* nested machines: their settings (may be NULL) */
};

int share_write(const char *dir, const struct plan *plan, const struct share_settings *s,
		struct tl_error *e);

#endif
