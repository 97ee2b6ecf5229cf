// SPDX-License-Identifier: GPL-2.0-only
#include "options.h"

#include <getopt.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "tcelab/strv.h"
#include "tcelab/error.h"
#include "topology.h"

#if !defined(TCELAB_SOURCE_DIR) || !defined(TCELAB_BINARY_DIR)
#error "TCELAB_SOURCE_DIR and TCELAB_BINARY_DIR must be set (lab/CMakeLists.txt does)"
#endif

#define MAX_SECONDS 86400

enum option_kind { OPTION_TEXT, OPTION_SECONDS, OPTION_FLAG, OPTION_L2_ENV };

struct option_spec {
	const char *name;
	const char *metavar;
	enum option_kind kind;
	size_t offset; /* of the value in struct lab_options */
	const char *help;
};

#define AT(field) offsetof(struct lab_options, field)

static const struct option_spec option_table[] = {
	{ "plan", "FILE", OPTION_TEXT, AT(plan),
	  "the workloads to run, one a line: NAME ENGINE ARG... (# starts a comment)" },
	{ "results", "DIR", OPTION_TEXT, AT(results),
	  "where runs are recorded, each in a folder of its own; DIR/latest is the newest" },
	{ "image", "DIR", OPTION_TEXT, AT(image),
	  "the guest image: vmlinux, guest.cpio.gz, manifest.txt, guest.cpio.gz.sha256" },
	{ "machine", "NAME", OPTION_TEXT, AT(machine),
	  "the emulated host: pseries (sPAPR guest, VOF) or powernv9 (bare-metal OPAL); nested "
	  "KVM hosts running L2 (docs/nested-lab.md): nested-hv, nested-papr, powernv9-kvm" },
	{ "timeout", "SECS", OPTION_SECONDS, AT(timeout),
	  "stop QEMU and fail the run when the whole boot takes longer" },
	{ "step-timeout", "SECS", OPTION_SECONDS, AT(step_timeout),
	  "the guest kills a step that runs longer (the step fails, the run goes on)" },
	{ "qemu", "PATH", OPTION_TEXT, AT(qemu),
	  "the QEMU binary, searched in PATH when it has no '/'" },
	{ "jobs", "DIR", OPTION_TEXT, AT(jobs),
	  "where the fio job files named in the plan are" },
	{ "name", "RUNNAME", OPTION_TEXT, AT(name),
	  "a name for the run, kept in run.json (default: the plan's file name without .plan)" },
	{ "host-image", "DIR", OPTION_TEXT, AT(host_image),
	  "nested machines: the L1 host image (vmlinux, host.cpio.zst); --image is L2's" },
	{ "tce-mode", "MODE", OPTION_TEXT, AT(tce_mode),
	  "nested machines: who handles L2's TCE hcalls: in-kernel or userspace" },
	{ "tce-switch", "HOW", OPTION_TEXT, AT(tce_switch),
	  "nested machines: how userspace mode is had: auto (param with --modules, else shim), "
	  "shim (LD_PRELOAD hides KVM_CAP_SPAPR_TCE_VFIO from QEMU), param (kvm tce_vfio_accel=0)" },
	{ "modules", "DIR", OPTION_TEXT, AT(modules),
	  "nested machines: patched kvm.ko and kvm-hv.ko for L1 (kernel/build-modules --out DIR)" },
	{ "proof", "LEVEL", OPTION_TEXT, AT(proof),
	  "nested machines: light (timed runs) or full (QEMU also traces each TCE hcall, ~1 ms each)" },
	{ "l2-env", "KEY=VALUE", OPTION_L2_ENV, AT(l2_env),
	  "nested machines: one more TCELAB_L2_* setting for L1's host-init (repeatable)" },
	{ "help", NULL, OPTION_FLAG, AT(help), "show this help and exit" },
};

#define NOPTIONS (sizeof(option_table) / sizeof(option_table[0]))

static const struct lab_options defaults = {
	.plan = TCELAB_SOURCE_DIR "/bench/plans/default.plan",
	.results = "results",
	.image = TCELAB_BINARY_DIR "/guest-image",
	.machine = "pseries",
	.qemu = "qemu-system-ppc64",
	.jobs = TCELAB_SOURCE_DIR "/bench/fio",
	.timeout = 900,
	.step_timeout = 300,
	.host_image = TCELAB_BINARY_DIR "/host-image",
	.tce_mode = "in-kernel",
	.tce_switch = "auto",
	.proof = "light",
};

static void *field(struct lab_options *o, const struct option_spec *spec)
{
	return (char *)o + spec->offset;
}

static int set_value(struct lab_options *o, const struct option_spec *spec, const char *value,
		     struct tl_error *e)
{
	char *end;
	long secs;

	switch (spec->kind) {
	case OPTION_TEXT:
		if (!*value)
			return tl_err(e, "--%s: empty value", spec->name);
		*(const char **)field(o, spec) = value;
		return 0;
	case OPTION_SECONDS:
		secs = strtol(value, &end, 10);
		if (*end || end == value || secs < 1 || secs > MAX_SECONDS)
			return tl_err(e, "--%s: '%s' is not a number of seconds from 1 to %d",
				      spec->name, value, MAX_SECONDS);
		*(int *)field(o, spec) = (int)secs;
		return 0;
	case OPTION_FLAG:
		*(bool *)field(o, spec) = true;
		return 0;
	case OPTION_L2_ENV:
		if (strncmp(value, "TCELAB_L2_", 10) != 0 || !strchr(value, '=') ||
		    strpbrk(value, " \t\n"))
			return tl_err(e, "--%s: '%s' is not TCELAB_L2_KEY=VALUE without spaces", spec->name,
				      value);
		if (o->nl2_env == LAB_MAX_L2_ENV)
			return tl_err(e, "--%s: more than %d", spec->name, LAB_MAX_L2_ENV);
		o->l2_env[o->nl2_env++] = value;
		return 0;
	}
	return 0;
}

static bool run_name_valid(const char *name)
{
	size_t len = strlen(name);

	return len > 0 && len <= 64 &&
	       strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") == len;
}

static int check_values(const struct lab_options *o, struct tl_error *e)
{
	if (!lab_machine_find(o->machine))
		return tl_err(e, "--machine: unknown machine '%s' (known: %s)", o->machine,
			      lab_machine_names());
	if (o->name && !run_name_valid(o->name))
		return tl_err(e, "--name: '%s' is not a run name ([A-Za-z0-9._-], at most 64)", o->name);
	if (strcmp(o->tce_mode, "in-kernel") != 0 && strcmp(o->tce_mode, "userspace") != 0)
		return tl_err(e, "--tce-mode: '%s' is not in-kernel or userspace", o->tce_mode);
	if (strcmp(o->tce_switch, "auto") != 0 && strcmp(o->tce_switch, "shim") != 0 &&
	    strcmp(o->tce_switch, "param") != 0)
		return tl_err(e, "--tce-switch: '%s' is not auto, shim or param", o->tce_switch);
	if (strcmp(o->tce_switch, "param") == 0 && !o->modules)
		return tl_err(e, "--tce-switch param needs --modules (the stock kvm.ko has no tce_vfio_accel)");
	if (strcmp(o->proof, "light") != 0 && strcmp(o->proof, "full") != 0)
		return tl_err(e, "--proof: '%s' is not light or full", o->proof);
	return 0;
}

int options_parse(struct lab_options *o, int argc, char **argv, struct tl_error *e)
{
	struct option longopts[NOPTIONS + 1];
	int index;

	*o = defaults;
	memset(longopts, 0, sizeof(longopts));
	for (size_t i = 0; i < NOPTIONS; i++)
		longopts[i] = (struct option){ option_table[i].name,
					       option_table[i].metavar ? required_argument : no_argument,
					       NULL, (int)i };
	opterr = 0; /* our messages, not getopt's */
	optind = 0; /* 0, not 1: glibc then starts afresh (tests parse many times) */
	for (;;) {
		int c = getopt_long(argc, argv, ":", longopts, &index);

		if (c == -1)
			break;
		if (c == '?')
			return tl_err(e, "unknown option '%s' (see --help)", argv[optind - 1]);
		if (c == ':')
			return tl_err(e, "%s needs a value (see --help)", argv[optind - 1]);
		if (set_value(o, &option_table[c], optarg, e))
			return -1;
	}
	if (optind < argc)
		return tl_err(e, "unexpected argument '%s' (see --help)", argv[optind]);
	return check_values(o, e);
}

static const char *default_text(const struct option_spec *spec, char *buf, size_t len)
{
	struct lab_options d = defaults;

	switch (spec->kind) {
	case OPTION_TEXT:
		return *(const char **)field(&d, spec);
	case OPTION_SECONDS:
		snprintf(buf, len, "%d", *(int *)field(&d, spec));
		return buf;
	case OPTION_FLAG:
	case OPTION_L2_ENV:
		break;
	}
	return NULL;
}

void options_usage(FILE *f)
{
	fputs("usage: tcelab-run [OPTION...]\n"
	      "Boot the emulated POWER lab once, run the plan's workloads in it, record the\n"
	      "run in RESULTS/RUNID (run.json, console.log, NAME.result.json per workload)\n"
	      "and print its table.\n\n",
	      f);
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct option_spec *spec = &option_table[i];
		char left[40], buf[24];
		const char *def = default_text(spec, buf, sizeof(buf));

		snprintf(left, sizeof(left), "--%s%s%s", spec->name, spec->metavar ? " " : "",
			 spec->metavar ? spec->metavar : "");
		fprintf(f, "  %-22s %s\n", left, spec->help);
		if (def)
			fprintf(f, "  %-22s (default: %s)\n", "", def);
	}
	fputs("\nExit status: 0 when every step passed, 1 when the run failed, 2 for bad input.\n", f);
}
