// SPDX-License-Identifier: GPL-2.0-only
#include "proof.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/error.h"
#include "tcelab/json.h"
#include "tcelab/json_writer.h"

const char *const tce_kind_names[TCE_NKINDS] = { "put", "indirect", "stuff", "get" };

/* PAPR hcall numbers (arch/powerpc/include/asm/hvcall.h). */
static const unsigned long hcall_numbers[TCE_NKINDS] = { 0x20, 0x13c, 0x138, 0x1c };
static const char *const hcall_names[TCE_NKINDS] = { "H_PUT_TCE", "H_PUT_TCE_INDIRECT",
						     "H_STUFF_TCE", "H_GET_TCE" };

#define SPAPR_PCI_LIOBN_BASE 0x80000000ull

void proof_init(struct proof *p, enum proof_mode mode)
{
	*p = (struct proof){ .mode = mode, .qemu_per_call = true };
	memset(p->tp_vcpu_kind, -1, sizeof(p->tp_vcpu_kind));
	snprintf(p->tce_switch, sizeof(p->tce_switch), "none");
}

int proof_mode_parse(const char *text, enum proof_mode *mode, struct tl_error *e)
{
	if (strcmp(text, "in-kernel") == 0)
		*mode = PROOF_IN_KERNEL;
	else if (strcmp(text, "userspace") == 0)
		*mode = PROOF_USERSPACE;
	else
		return tl_err(e, "TCE mode '%s': want in-kernel or userspace", text);
	return 0;
}

const char *proof_mode_name(enum proof_mode mode)
{
	return mode == PROOF_IN_KERNEL ? "in-kernel" : "userspace";
}

int proof_phbs_parse(struct proof *p, const char *text, struct tl_error *e)
{
	const char *s = text;

	p->nphbs = 0;
	while (*s) {
		char *end;
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || v > 255 || (*end && *end != ','))
			return tl_err(e, "PHB list '%s': want indexes such as 1,2", text);
		if (p->nphbs == PROOF_MAX_PHBS)
			return tl_err(e, "PHB list '%s': more than %d", text, PROOF_MAX_PHBS);
		p->phbs[p->nphbs++] = (unsigned)v;
		s = *end ? end + 1 : end;
	}
	return p->nphbs ? 0 : tl_err(e, "empty PHB list");
}

bool proof_liobn_passthrough(const struct proof *p, uint64_t liobn)
{
	if ((liobn & 0xffffffff00000000ull) || (liobn & SPAPR_PCI_LIOBN_BASE) == 0)
		return false;
	for (size_t i = 0; i < p->nphbs; i++)
		if (((liobn >> 8) & 0xff) == p->phbs[i] && (liobn & 0x7fff0000ull) == 0)
			return true;
	return false;
}

/* The value of "key=" in a trace line as a number (any base prefix), or false. */
static bool field_u64(const char *line, const char *key, uint64_t *out)
{
	size_t klen = strlen(key);

	for (const char *s = line; (s = strstr(s, key)) != NULL; s += klen) {
		char *end;

		if (s != line && !isspace((unsigned char)s[-1]) && s[-1] != ',')
			continue;
		if (s[klen] != '=')
			continue;
		*out = strtoull(s + klen + 1, &end, 0);
		return end != s + klen + 1;
	}
	return false;
}

/* Signed: strtoull takes "-1" and gives its two's complement. */
static bool field_i64(const char *line, const char *key, int64_t *out)
{
	uint64_t v;

	if (!field_u64(line, key, &v))
		return false;
	*out = (int64_t)v;
	return true;
}

/* QEMU's log backend: "PID@SEC.USEC:event args" or "event args". */
static const char *qemu_event(const char *line, char *name, size_t len)
{
	const char *s = line, *colon;
	size_t n;

	while (isdigit((unsigned char)*s))
		s++;
	if (s != line && *s == '@' && (colon = strchr(s, ':')) != NULL)
		s = colon + 1;
	else
		s = line;
	n = strcspn(s, " \t");
	if (n == 0 || n >= len)
		return NULL;
	memcpy(name, s, n);
	name[n] = '\0';
	return s + n;
}

static void note_table(struct proof *p, uint64_t liobn, int fd)
{
	for (size_t i = 0; i < p->ntables; i++)
		if (p->tables[i].liobn == liobn) {
			p->tables[i].fd = fd; /* re-created: the last one counts */
			return;
		}
	if (p->ntables < PROOF_MAX_TABLES)
		p->tables[p->ntables++] = (struct proof_table){ liobn, fd };
}

void proof_qemu_line(struct proof *p, const char *line)
{
	static const char *const events[TCE_NKINDS] = { "spapr_iommu_pci_put", "spapr_iommu_pci_indirect",
							 "spapr_iommu_pci_stuff", "spapr_iommu_pci_get" };
	char name[64];
	const char *args = qemu_event(line, name, sizeof(name));
	uint64_t liobn = 0, n;
	int64_t ret = 0, fd;

	p->qemu_present = true;
	if (!args)
		return;
	if (strcmp(name, "vfio_spapr_group_attach") == 0) {
		p->group_attach++;
		return;
	}
	if (strcmp(name, "spapr_iommu_new_table") == 0) {
		if (field_u64(args, "liobn", &liobn) && field_i64(args, "fd", &fd) &&
		    proof_liobn_passthrough(p, liobn))
			note_table(p, liobn, (int)fd);
		return;
	}
	for (int k = 0; k < TCE_NKINDS; k++) {
		if (strcmp(name, events[k]) != 0)
			continue;
		if (!field_u64(args, "liobn", &liobn))
			return;
		if (!proof_liobn_passthrough(p, liobn)) {
			p->qemu_other_calls++;
			return;
		}
		field_i64(args, "ret", &ret);
		p->qemu_calls[k]++;
		if (ret != 0)
			p->qemu_errors++;
		if (k == TCE_INDIRECT)
			/* iobaN: index of the last entry done (QEMU's h_put_tce_indirect) */
			p->qemu_tces[k] += field_u64(args, "iobaN", &n) && ret == 0 ? n + 1 : 0;
		else if (k == TCE_STUFF)
			p->qemu_tces[k] += field_u64(args, "npages", &n) && ret == 0 ? n : 0;
		else
			p->qemu_tces[k] += ret == 0;
		return;
	}
}

/*
 * tracefs text: "   task-pid  [cpu] flags  ts: kvm_hcall_enter: VCPU 0:
 * hcall=H_PUT_TCE GPR4-7=0x80000100,..." and "kvm_hcall_exit: VCPU 0:
 * ret=RESUME_HOST hcall_rc=H_TOO_HARD". An exit belongs to the vCPU's
 * last TCE enter (p->tp_vcpu_kind).
 */

static int hcall_kind(const char *s)
{
	for (int k = 0; k < TCE_NKINDS; k++) {
		size_t n = strlen(hcall_names[k]);

		if (strncmp(s, hcall_names[k], n) == 0 && (s[n] == ' ' || s[n] == '\0'))
			return k;
	}
	if (s[0] == '0' && s[1] == 'x') {
		unsigned long v = strtoul(s, NULL, 16);

		for (int k = 0; k < TCE_NKINDS; k++)
			if (v == hcall_numbers[k])
				return k;
	}
	return -1;
}

void proof_tracefs_line(struct proof *p, const char *line)
{
	const char *s;
	int vcpu;

	p->tp_present = true;
	if ((s = strstr(line, "kvm_hcall_enter: VCPU ")) != NULL) {
		const char *h = strstr(s, "hcall="), *g = strstr(s, "GPR4-7=");
		int kind;
		uint64_t liobn;
		bool pt;

		if (!h || !g || sscanf(s, "kvm_hcall_enter: VCPU %d:", &vcpu) != 1)
			return;
		kind = hcall_kind(h + 6);
		if (kind < 0)
			return; /* not a TCE hcall (the filter should have kept it out) */
		liobn = strtoull(g + 7, NULL, 16);
		pt = proof_liobn_passthrough(p, liobn);
		if (pt)
			p->tp_enter[kind]++;
		else
			p->tp_other_enter++;
		if (vcpu >= 0 && vcpu < PROOF_MAX_VCPUS) {
			p->tp_vcpu_kind[vcpu] = (int8_t)kind;
			p->tp_vcpu_passthrough[vcpu] = pt;
		}
	} else if ((s = strstr(line, "kvm_hcall_exit: VCPU ")) != NULL) {
		if (sscanf(s, "kvm_hcall_exit: VCPU %d:", &vcpu) != 1)
			return;
		/* Only exits to the host are traced (filter), but check. */
		if (!strstr(s, "ret=RESUME_HOST"))
			return;
		if (vcpu < 0 || vcpu >= PROOF_MAX_VCPUS || p->tp_vcpu_kind[vcpu] < 0) {
			p->tp_unpaired++;
			return;
		}
		if (p->tp_vcpu_passthrough[vcpu])
			p->tp_user[p->tp_vcpu_kind[vcpu]]++;
		else
			p->tp_other_user++;
		p->tp_vcpu_kind[vcpu] = -1;
	}
}

void proof_counters_line(struct proof *p, const char *line)
{
	char name[64];
	unsigned long long v;

	if (sscanf(line, "%63s %llu", name, &v) != 2 || strncmp(name, "tce_", 4) != 0)
		return;
	for (int k = 0; k < TCE_NKINDS; k++) {
		size_t n = strlen(tce_kind_names[k]);
		const char *rest = name + 4;

		if (strncmp(rest, tce_kind_names[k], n) != 0 || rest[n] != '_')
			continue;
		rest += n + 1;
		if (strcmp(rest, "kernel") == 0)
			p->ctr_kernel[k] = v;
		else if (strcmp(rest, "user") == 0)
			p->ctr_user[k] = v;
		else if (strcmp(rest, "failed") == 0)
			p->ctr_failed[k] = v;
		else
			return;
		p->counters_present = true;
		return;
	}
}

void proof_shim_line(struct proof *p, const char *line)
{
	p->shim_log_present = true;
	if (strncmp(line, "hidden ", 7) == 0)
		p->shim_hidden++;
}

void proof_dmesg_line(struct proof *p, const char *line)
{
	static const char *const bad[] = { "WARNING:", "BUG:", "Oops", "kernel BUG", "general protection" };

	p->dmesg_present = true;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (strstr(line, bad[i])) {
			if (p->dmesg_warnings < 3)
				snprintf(p->dmesg_first[p->dmesg_warnings], sizeof(p->dmesg_first[0]), "%s",
					 line);
			p->dmesg_warnings++;
			return;
		}
}

int proof_feed_file(struct proof *p, void (*feed)(struct proof *, const char *), const char *path,
		    struct tl_error *e)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (!f)
		return tl_err_errno(e, "%s", path);
	/* An empty file is still evidence that the source was there. */
	if (feed == proof_qemu_line)
		p->qemu_present = true;
	else if (feed == proof_tracefs_line)
		p->tp_present = true;
	else if (feed == proof_shim_line)
		p->shim_log_present = true;
	else if (feed == proof_dmesg_line)
		p->dmesg_present = true;
	while ((n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		feed(p, line);
	}
	free(line);
	fclose(f);
	return 0;
}

uint64_t proof_near_zero(uint64_t total)
{
	uint64_t pct = total / 100;

	return pct > 2 ? pct : 2;
}

static uint64_t sum(const uint64_t *v)
{
	uint64_t s = 0;

	for (int k = 0; k < TCE_NKINDS; k++)
		s += v[k];
	return s;
}

__attribute__((format(printf, 3, 4))) static void note(struct proof_verdict *v, bool ok,
							const char *fmt, ...)
{
	va_list ap;
	char *buf;
	size_t len;

	if (!ok)
		v->pass = false;
	if (v->nnotes == PROOF_MAX_NOTES)
		return;
	buf = v->notes[v->nnotes++];
	len = sizeof(v->notes[0]);
	snprintf(buf, len, "%s", ok ? "ok: " : "FAIL: ");
	va_start(ap, fmt);
	vsnprintf(buf + strlen(buf), len - strlen(buf), fmt, ap);
	va_end(ap);
}

static void judge_tables(const struct proof *p, struct proof_verdict *v)
{
	size_t in_qemu = 0, in_kernel = 0;

	for (size_t i = 0; i < p->ntables; i++) {
		if (p->tables[i].fd < 0)
			in_qemu++;
		else
			in_kernel++;
	}
	if (p->mode == PROOF_IN_KERNEL) {
		note(v, p->group_attach > 0,
		     "QEMU trace: %" PRIu64 " vfio_spapr_group_attach (VFIO group attached to KVM's table)",
		     p->group_attach);
		if (p->ntables)
			note(v, in_qemu == 0, "QEMU trace: passthrough tables: %zu in KVM, %zu in QEMU",
			     in_kernel, in_qemu);
	} else {
		note(v, p->group_attach == 0, "QEMU trace: %" PRIu64 " vfio_spapr_group_attach (want 0)",
		     p->group_attach);
		if (p->ntables)
			note(v, in_kernel == 0, "QEMU trace: passthrough tables: %zu in QEMU, %zu in KVM",
			     in_qemu, in_kernel);
	}
}

void proof_judge(const struct proof *p, struct proof_verdict *v)
{
	bool ink = p->mode == PROOF_IN_KERNEL;
	uint64_t qemu = p->qemu_calls[TCE_PUT] + p->qemu_calls[TCE_INDIRECT] +
			p->qemu_calls[TCE_STUFF] + p->qemu_calls[TCE_GET];

	*v = (struct proof_verdict){ .pass = true, .source = "none" };

	if (p->counters_present) {
		uint64_t kernel = sum(p->ctr_kernel), user = sum(p->ctr_user);
		uint64_t total = kernel + user + sum(p->ctr_failed);

		v->source = "counters";
		v->total_calls = total;
		v->user_calls = user;
		if (ink)
			note(v, total > 0 && user <= proof_near_zero(total),
			     "counters: %" PRIu64 " of %" PRIu64 " TCE hcalls to userspace (want near 0 of > 0)",
			     user, total);
		else
			note(v, user > 0 && kernel <= proof_near_zero(total),
			     "counters: %" PRIu64 " of %" PRIu64 " TCE hcalls to userspace (want all)", user,
			     total);
	}
	if (p->tp_present) {
		uint64_t enter = sum(p->tp_enter), user = sum(p->tp_user);

		if (!p->counters_present) {
			v->source = "tracepoints";
			v->total_calls = enter;
			v->user_calls = user;
		}
		if (ink)
			note(v, enter > 0 && user <= proof_near_zero(enter),
			     "tracepoints: %" PRIu64 " of %" PRIu64
			     " passthrough TCE hcalls to userspace (want near 0 of > 0)",
			     user, enter);
		else
			note(v, user > 0 && (user >= enter ? 0 : enter - user) <= proof_near_zero(enter),
			     "tracepoints: %" PRIu64 " of %" PRIu64 " passthrough TCE hcalls to userspace (want all)",
			     user, enter);
		if (p->tp_lost)
			note(v, true, "tracepoints: %" PRIu64 " events lost to ring buffer overruns", p->tp_lost);
	}
	if (p->qemu_present) {
		if (!p->counters_present && !p->tp_present && p->qemu_per_call) {
			v->source = "qemu-trace";
			v->user_calls = qemu;
		}
		judge_tables(p, v);
		if (!p->qemu_per_call) {
			/* tables and attach only: the counts come from elsewhere */
		} else if (ink) {
			uint64_t total = v->total_calls ? v->total_calls : qemu;

			note(v, qemu <= proof_near_zero(total),
			     "QEMU trace: %" PRIu64 " passthrough TCE hcalls handled by QEMU (want near 0)", qemu);
		} else {
			note(v, qemu > 0, "QEMU trace: %" PRIu64 " passthrough TCE hcalls handled by QEMU (want > 0)",
			     qemu);
			if (p->tp_present && !p->tp_lost)
				note(v, qemu + proof_near_zero(qemu) >= sum(p->tp_user) &&
						sum(p->tp_user) + proof_near_zero(qemu) >= qemu,
				     "QEMU trace and tracepoints agree: %" PRIu64 " vs %" PRIu64, qemu,
				     sum(p->tp_user));
		}
	}
	if (!ink && strcmp(p->tce_switch, "shim") == 0)
		note(v, p->shim_log_present && p->shim_hidden > 0,
		     "shim: KVM_CAP_SPAPR_TCE_VFIO hidden %" PRIu64 " times", p->shim_hidden);
	if (ink && p->shim_log_present)
		note(v, p->shim_hidden == 0, "shim: %" PRIu64 " capabilities hidden (want 0)", p->shim_hidden);
	if (!p->counters_present && !p->tp_present && !(p->qemu_present && p->qemu_per_call))
		note(v, false, "no count of TCE hcalls (no counters, tracepoints or per-call QEMU trace)");
}

static void write_kinds(struct json_writer *w, const char *key, const uint64_t *v)
{
	jw_object_begin(w, key);
	for (int k = 0; k < TCE_NKINDS; k++)
		jw_uint(w, tce_kind_names[k], v[k]);
	jw_object_end(w);
}

void proof_write_json(struct json_writer *w, const char *key, const struct proof *p,
		      const struct proof_verdict *v)
{
	char buf[32];

	jw_object_begin(w, key);
	jw_string(w, "schema", "tcelab-tce-proof/1");
	jw_string(w, "mode", proof_mode_name(p->mode));
	jw_string(w, "switch", p->tce_switch);
	jw_array_begin(w, "passthrough_phbs");
	for (size_t i = 0; i < p->nphbs; i++)
		jw_uint(w, NULL, p->phbs[i]);
	jw_array_end(w);

	jw_object_begin(w, "qemu_trace");
	jw_bool(w, "present", p->qemu_present);
	jw_bool(w, "per_call", p->qemu_per_call);
	jw_uint(w, "group_attach", p->group_attach);
	jw_array_begin(w, "tables");
	for (size_t i = 0; i < p->ntables; i++) {
		jw_object_begin(w, NULL);
		snprintf(buf, sizeof(buf), "0x%" PRIx64, p->tables[i].liobn);
		jw_string(w, "liobn", buf);
		jw_int(w, "fd", p->tables[i].fd);
		jw_object_end(w);
	}
	jw_array_end(w);
	write_kinds(w, "calls", p->qemu_calls);
	write_kinds(w, "tces", p->qemu_tces);
	jw_uint(w, "errors", p->qemu_errors);
	jw_uint(w, "other_liobn_calls", p->qemu_other_calls);
	jw_object_end(w);

	jw_object_begin(w, "tracepoints");
	jw_bool(w, "present", p->tp_present);
	write_kinds(w, "enter", p->tp_enter);
	write_kinds(w, "to_userspace", p->tp_user);
	jw_uint(w, "other_liobn_enter", p->tp_other_enter);
	jw_uint(w, "other_liobn_to_userspace", p->tp_other_user);
	jw_uint(w, "unpaired_exits", p->tp_unpaired);
	jw_uint(w, "lost", p->tp_lost);
	jw_object_end(w);

	jw_object_begin(w, "counters");
	jw_bool(w, "present", p->counters_present);
	write_kinds(w, "kernel", p->ctr_kernel);
	write_kinds(w, "user", p->ctr_user);
	write_kinds(w, "failed", p->ctr_failed);
	jw_object_end(w);

	jw_object_begin(w, "shim");
	jw_bool(w, "log_present", p->shim_log_present);
	jw_uint(w, "hidden", p->shim_hidden);
	jw_object_end(w);

	jw_object_begin(w, "dmesg");
	jw_bool(w, "present", p->dmesg_present);
	jw_uint(w, "warnings", p->dmesg_warnings);
	jw_array_begin(w, "first");
	for (uint64_t i = 0; i < p->dmesg_warnings && i < 3; i++)
		jw_string(w, NULL, p->dmesg_first[i]);
	jw_array_end(w);
	jw_object_end(w);

	if (v) {
		jw_object_begin(w, "verdict");
		jw_string(w, "status", v->pass ? "pass" : "fail");
		jw_string(w, "source", v->source);
		jw_uint(w, "total_calls", v->total_calls);
		jw_uint(w, "user_calls", v->user_calls);
		jw_array_begin(w, "checks");
		for (size_t i = 0; i < v->nnotes; i++)
			jw_string(w, NULL, v->notes[i]);
		jw_array_end(w);
		jw_object_end(w);
	}
	jw_object_end(w);
}

static uint64_t num(const struct json_value *doc, const char *path)
{
	double d = 0;

	json_path_number(doc, path, &d);
	return d > 0 ? (uint64_t)d : 0;
}

static bool flag(const struct json_value *doc, const char *path)
{
	const struct json_value *v = json_path(doc, path);

	return v && v->type == JSON_BOOL && v->u.boolean;
}

static void read_kinds(const struct json_value *doc, const char *path, uint64_t *out)
{
	char key[96];

	for (int k = 0; k < TCE_NKINDS; k++) {
		snprintf(key, sizeof(key), "%s.%s", path, tce_kind_names[k]);
		out[k] = num(doc, key);
	}
}

int proof_from_json(struct proof *p, const struct json_value *doc, struct tl_error *e)
{
	const char *schema = json_path_string(doc, "schema");
	const char *mode = json_path_string(doc, "mode");
	const char *sw = json_path_string(doc, "switch");
	const struct json_value *phbs = json_path(doc, "passthrough_phbs");
	const struct json_value *tables = json_path(doc, "qemu_trace.tables");
	enum proof_mode m = PROOF_IN_KERNEL;

	if (!schema || strcmp(schema, "tcelab-tce-proof/1") != 0)
		return tl_err(e, "not a TCE proof (schema '%s')", schema ? schema : "(none)");
	if (!mode || proof_mode_parse(mode, &m, e))
		return tl_err(e, "TCE proof: bad mode '%s'", mode ? mode : "(none)");
	proof_init(p, m);
	if (sw)
		snprintf(p->tce_switch, sizeof(p->tce_switch), "%s", sw);
	for (size_t i = 0; phbs && phbs->type == JSON_ARRAY && i < phbs->u.array.n && i < PROOF_MAX_PHBS; i++)
		p->phbs[p->nphbs++] = (unsigned)phbs->u.array.items[i]->u.number;
	p->qemu_present = flag(doc, "qemu_trace.present");
	p->qemu_per_call = flag(doc, "qemu_trace.per_call");
	p->group_attach = num(doc, "qemu_trace.group_attach");
	for (size_t i = 0; tables && tables->type == JSON_ARRAY && i < tables->u.array.n &&
			   i < PROOF_MAX_TABLES; i++) {
		const struct json_value *t = tables->u.array.items[i];
		const char *liobn = json_path_string(t, "liobn");
		double fd = -1;

		json_path_number(t, "fd", &fd);
		p->tables[p->ntables++] = (struct proof_table){ liobn ? strtoull(liobn, NULL, 0) : 0, (int)fd };
	}
	read_kinds(doc, "qemu_trace.calls", p->qemu_calls);
	read_kinds(doc, "qemu_trace.tces", p->qemu_tces);
	p->qemu_errors = num(doc, "qemu_trace.errors");
	p->qemu_other_calls = num(doc, "qemu_trace.other_liobn_calls");
	p->tp_present = flag(doc, "tracepoints.present");
	read_kinds(doc, "tracepoints.enter", p->tp_enter);
	read_kinds(doc, "tracepoints.to_userspace", p->tp_user);
	p->tp_other_enter = num(doc, "tracepoints.other_liobn_enter");
	p->tp_other_user = num(doc, "tracepoints.other_liobn_to_userspace");
	p->tp_unpaired = num(doc, "tracepoints.unpaired_exits");
	p->tp_lost = num(doc, "tracepoints.lost");
	p->counters_present = flag(doc, "counters.present");
	read_kinds(doc, "counters.kernel", p->ctr_kernel);
	read_kinds(doc, "counters.user", p->ctr_user);
	read_kinds(doc, "counters.failed", p->ctr_failed);
	p->shim_log_present = flag(doc, "shim.log_present");
	p->shim_hidden = num(doc, "shim.hidden");
	p->dmesg_present = flag(doc, "dmesg.present");
	p->dmesg_warnings = num(doc, "dmesg.warnings");
	return 0;
}
