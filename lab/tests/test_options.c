// SPDX-License-Identifier: GPL-2.0-only
/* tcelab-run's command line: defaults, each kind of option, each mistake. */
#include <string.h>

#include "ktap.h"
#include "options.h"
#include "tcelab/error.h"

#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])) - 1)

static void expect_error(char **argv, int argc, const char *message)
{
	struct lab_options o;
	struct tl_error e;

	report(options_parse(&o, argc, argv, &e) == -1 && strcmp(e.msg, message) == 0, "rejects %s",
	       argv[argc - 1]);
	if (strcmp(e.msg, message) != 0)
		report_info("got \"%s\"", e.msg);
}

int main(void)
{
	char *none[] = { "tcelab-run", NULL };
	char *all[] = { "tcelab-run", "--plan", "p.plan", "--results", "r", "--image", "img",
			"--machine", "powernv9", "--timeout", "60", "--step-timeout=5", "--qemu",
			"/opt/qemu", "--jobs", "j", "--name", "Nightly-1", NULL };
	char *help[] = { "tcelab-run", "--help", NULL };
	char *zero[] = { "tcelab-run", "--timeout", "0", NULL };
	char *words[] = { "tcelab-run", "--step-timeout", "5s", NULL };
	char *machine[] = { "tcelab-run", "--machine", "x86", NULL };
	char *unknown[] = { "tcelab-run", "--bogus", NULL };
	char *missing[] = { "tcelab-run", "--plan", NULL };
	char *extra[] = { "tcelab-run", "extra", NULL };
	char *name[] = { "tcelab-run", "--name", "a b", NULL };
	struct lab_options o;
	struct tl_error e;

	report(options_parse(&o, ARGC(none), none, &e) == 0 && strcmp(o.machine, "pseries") == 0 &&
	       o.timeout == 900 && o.step_timeout == 300 && strcmp(o.results, "results") == 0 &&
	       strcmp(o.qemu, "qemu-system-ppc64") == 0 && o.name == NULL && !o.help &&
	       strstr(o.plan, "/bench/plans/default.plan") && strstr(o.jobs, "/bench/fio") &&
	       strstr(o.image, "/guest-image"),
	       "defaults");
	report(options_parse(&o, ARGC(all), all, &e) == 0 && strcmp(o.plan, "p.plan") == 0 &&
	       strcmp(o.results, "r") == 0 && strcmp(o.image, "img") == 0 &&
	       strcmp(o.machine, "powernv9") == 0 && o.timeout == 60 && o.step_timeout == 5 &&
	       strcmp(o.qemu, "/opt/qemu") == 0 && strcmp(o.jobs, "j") == 0 &&
	       strcmp(o.name, "Nightly-1") == 0,
	       "every option, both --opt VALUE and --opt=VALUE");
	report(options_parse(&o, ARGC(help), help, &e) == 0 && o.help, "--help");
	expect_error(zero, ARGC(zero), "--timeout: '0' is not a number of seconds from 1 to 86400");
	expect_error(words, ARGC(words), "--step-timeout: '5s' is not a number of seconds from 1 to 86400");
	expect_error(machine, ARGC(machine), "--machine: unknown machine 'x86' (known: pseries, powernv9, nested-hv, nested-papr, powernv9-kvm)");
	expect_error(unknown, ARGC(unknown), "unknown option '--bogus' (see --help)");
	expect_error(missing, ARGC(missing), "--plan needs a value (see --help)");
	expect_error(extra, ARGC(extra), "unexpected argument 'extra' (see --help)");
	expect_error(name, ARGC(name), "--name: 'a b' is not a run name ([A-Za-z0-9._-], at most 64)");
	return report_summary();
}
