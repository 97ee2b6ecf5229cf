/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The nested lab (docs/nested-lab.md): L0 QEMU TCG boots the L1 POWER host
 * image (guest-images/build-host-image), whose /init (host-init) starts
 * the L2 guest under KVM with the NVMe passed through and runs the plan in
 * it. What the runner adds for it:
 *
 *   - a read-only 9p share (tag tcelab-l1) with the L2 guest image (l2/)
 *     and, when asked for, patched KVM modules (modules/);
 *   - env keys for L1: the TCE mode and how to get it, the proof level,
 *     and TCELAB_L2_* settings passed through;
 *   - after the run, the proof L1 wrote (out/tce-proof.json), judged again
 *     here: a run whose evidence contradicts its TCE mode fails.
 */
#ifndef LAB_NESTED_H
#define LAB_NESTED_H

#include <stdbool.h>
#include <stddef.h>

#include "proof.h"

struct json_writer;
struct lab_options;
struct strv;
struct tl_error;

/* The proof L1 left, and the verdict redone from its counts. */
struct nested_proof {
	bool present;
	struct proof proof;
	struct proof_verdict verdict;
	char error[256]; /* why there is none, or it could not be read */
};

/* Check the nested options and that the files they name exist. */
int nested_check(const struct lab_options *o, struct tl_error *e);

/* Fill dir (made here) with l2/{vmlinux,guest.cpio.gz,manifest.txt} and
 * modules/{kvm.ko,kvm-hv.ko,manifest.txt} (when --modules): hard links
 * where the file system allows, copies elsewhere. */
int nested_host_share(const char *dir, const struct lab_options *o, struct tl_error *e);

/* The env lines for L1 beyond the protocol's. */
void nested_env_lines(const struct lab_options *o, struct strv *lines);

/* Read OUT_DIR/tce-proof.json and judge it against mode. */
void nested_proof_read(const char *out_dir, const char *mode, struct nested_proof *np);

/* The run's failure from the proof, into failure (len bytes) if it is
 * still empty: no proof, or evidence that contradicts the mode. */
void nested_judge(const struct nested_proof *np, const char *mode, char *failure, size_t len);

/* run.json's "nested" member: the settings and the proof's verdict. */
void nested_record(struct json_writer *w, const struct lab_options *o,
		   const struct nested_proof *np);

#endif
