/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Proof of the TCE path: which of a KVM guest's TCE hypercalls (H_PUT_TCE,
 * H_PUT_TCE_INDIRECT, H_STUFF_TCE, H_GET_TCE) the host kernel handled and
 * which it passed to QEMU, from the evidence a host collects during one
 * run, and whether that evidence agrees with the TCE mode the run was in.
 *
 * Evidence, each optional:
 *   QEMU's trace log (-trace ... -D FILE, log backend):
 *     spapr_iommu_new_table  liobn, fd: fd -1 = the table lives in QEMU
 *     vfio_spapr_group_attach  the VFIO group attached to the in-kernel table
 *     spapr_iommu_pci_put/_indirect/_stuff/_get  one per hcall QEMU handled
 *   the kernel's kvm_hv tracepoints (tracefs "trace" text):
 *     kvm_hcall_enter  every TCE hcall, with the LIOBN (GPR4)
 *     kvm_hcall_exit   filtered to ret & RESUME_FLAG_HOST with a TCE hcall
 *                      still in r3: the ones passed to userspace; paired
 *                      with the vCPU's last enter to get their LIOBN
 *   the suite's patched KVM counters (debugfs, summed per VM):
 *     tce_<kind>_kernel / _user / _failed
 *   the capability shim's log ("hidden cap=142 ...")
 *   dmesg (WARNING, BUG, Oops lines)
 *
 * The "passthrough" tables are the LIOBNs of the PHBs that carry the
 * VFIO devices (QEMU's LIOBN for PHB index i, window n: 0x80000000 |
 * i << 8 | n); the counters cannot tell LIOBNs apart and count the VM.
 */
#ifndef TCELAB_PROOF_H
#define TCELAB_PROOF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct json_value;
struct json_writer;
struct tl_error;

enum tce_kind { TCE_PUT, TCE_INDIRECT, TCE_STUFF, TCE_GET, TCE_NKINDS };

extern const char *const tce_kind_names[TCE_NKINDS]; /* put, indirect, stuff, get */

enum proof_mode { PROOF_IN_KERNEL, PROOF_USERSPACE };

#define PROOF_MAX_PHBS 8
#define PROOF_MAX_TABLES 16
#define PROOF_MAX_NOTES 12
#define PROOF_MAX_VCPUS 64

struct proof_table {
	uint64_t liobn;
	int fd; /* -1: in QEMU */
};

struct proof {
	/* What the run was */
	enum proof_mode mode;
	char tce_switch[16]; /* shim | param | none */
	unsigned phbs[PROOF_MAX_PHBS]; /* PHB indexes of the passthrough devices */
	size_t nphbs;

	/* QEMU's trace */
	bool qemu_present;
	bool qemu_per_call; /* the spapr_iommu_pci_* events were on (they cost
			     * about 1 ms per hcall under TCG: off in timed runs) */
	uint64_t group_attach;
	struct proof_table tables[PROOF_MAX_TABLES];
	size_t ntables;
	uint64_t qemu_calls[TCE_NKINDS]; /* passthrough LIOBNs */
	uint64_t qemu_tces[TCE_NKINDS];
	uint64_t qemu_errors;            /* passthrough calls QEMU answered with ret != 0 */
	uint64_t qemu_other_calls;       /* other LIOBNs */

	/* kvm_hv tracepoints */
	bool tp_present;
	uint64_t tp_enter[TCE_NKINDS]; /* passthrough LIOBNs: all calls */
	uint64_t tp_user[TCE_NKINDS];  /* passthrough LIOBNs: passed to userspace */
	uint64_t tp_other_enter, tp_other_user;
	uint64_t tp_unpaired;          /* exits with no enter before them */
	uint64_t tp_lost;              /* ring buffer overruns, from the caller */
	int8_t tp_vcpu_kind[PROOF_MAX_VCPUS]; /* pairing: the vCPU's last TCE enter, -1 none */
	bool tp_vcpu_passthrough[PROOF_MAX_VCPUS];

	/* patched KVM's counters (per VM) */
	bool counters_present;
	uint64_t ctr_kernel[TCE_NKINDS], ctr_user[TCE_NKINDS], ctr_failed[TCE_NKINDS];

	/* the shim */
	bool shim_log_present;
	uint64_t shim_hidden;

	/* dmesg */
	bool dmesg_present;
	uint64_t dmesg_warnings;
	char dmesg_first[3][200];
};

struct proof_verdict {
	bool pass;
	const char *source;   /* counters | tracepoints | qemu-trace | none */
	uint64_t total_calls; /* TCE hcalls on the passthrough tables, by source */
	uint64_t user_calls;  /* of those, passed to userspace */
	char notes[PROOF_MAX_NOTES][240]; /* "ok: ..." / "FAIL: ..." one per check */
	size_t nnotes;
};

/* qemu_per_call starts true: say so when the per-call events were off. */
void proof_init(struct proof *p, enum proof_mode mode);

int proof_mode_parse(const char *text, enum proof_mode *mode, struct tl_error *e);
const char *proof_mode_name(enum proof_mode mode);

/* "1,2": the passthrough devices' PHB indexes. */
int proof_phbs_parse(struct proof *p, const char *text, struct tl_error *e);

/* The LIOBN belongs to a passthrough PHB. */
bool proof_liobn_passthrough(const struct proof *p, uint64_t liobn);

/* Feed evidence, one text line at a time (no line end needed). */
void proof_qemu_line(struct proof *p, const char *line);
void proof_tracefs_line(struct proof *p, const char *line);
void proof_counters_line(struct proof *p, const char *line); /* "tce_put_kernel 12" */
void proof_shim_line(struct proof *p, const char *line);
void proof_dmesg_line(struct proof *p, const char *line);

/* Feed a whole file through one of the above; missing file: -1 with e set. */
int proof_feed_file(struct proof *p, void (*feed)(struct proof *, const char *),
		    const char *path, struct tl_error *e);

/* Near zero for a total: at most 1 % of it, and never less than 2 calls. */
uint64_t proof_near_zero(uint64_t total);

/* Judge the evidence against the mode. */
void proof_judge(const struct proof *p, struct proof_verdict *v);

/* The whole proof and verdict as one JSON object (key NULL at top level). */
void proof_write_json(struct json_writer *w, const char *key, const struct proof *p,
		      const struct proof_verdict *v);

/* Read back what proof_write_json wrote (the counts; the verdict is redone). */
int proof_from_json(struct proof *p, const struct json_value *doc, struct tl_error *e);

#endif
