// SPDX-License-Identifier: GPL-2.0-only
/* Plan parsing and checking: the good shapes, and every bad input's message. */
#include <stdlib.h>
#include <string.h>

#include "engines.h"
#include "ktap.h"
#include "plan.h"
#include "tcelab/error.h"

#define PLAN "test.plan"

/* Parse text; on failure e holds the message. */
static int parse(struct plan *p, const char *text, struct tl_error *e)
{
	memset(e, 0, sizeof(*e));
	return plan_parse(p, PLAN, text, e);
}

static void expect_error(const char *what, const char *text, const char *message)
{
	struct tl_error e;
	struct plan p;
	int ret = parse(&p, text, &e);

	report(ret == -1 && p.nsteps == 0 && strcmp(e.msg, message) == 0, "rejects %s", what);
	if (ret != -1 || strcmp(e.msg, message) != 0)
		report_info("got \"%s\", want \"%s\"", ret ? e.msg : "(accepted)", message);
	plan_free(&p);
}

static void test_good_plan(void)
{
	struct tl_error e;
	struct plan p;
	int ret = parse(&p,
			"# a comment\n"
			"\n"
			"dma-v1\tdma-map  --iommu=spapr-v1 --sizes=4k-16m   # trailing comment\n"
			"   fio-qd1 fio randread-qd1.fio\r\n"
			"net.tcp_1 iperf3 -t 5\n"
			"    # indented comment\n",
			&e);

	report(ret == 0 && p.nsteps == 3, "parses comments, blank lines, tabs, CRLF");
	if (ret) {
		report_info("%s", e.msg);
		return;
	}
	report(strcmp(p.steps[0].name, "dma-v1") == 0 && p.steps[0].engine == engine_find("dma-map") &&
	       p.steps[0].nargs == 2 && strcmp(p.steps[0].args[1], "--sizes=4k-16m") == 0 &&
	       p.steps[0].args[2] == NULL,
	       "first step: name, engine, args (NULL-terminated), comment dropped");
	report(p.steps[0].line == 3 && p.steps[1].line == 4 && p.steps[2].line == 5,
	       "line numbers count blank and comment lines");
	report(strcmp(p.steps[1].args[0], "randread-qd1.fio") == 0, "CR is not part of the last field");
	report(plan_iperf_step(&p) == &p.steps[2], "the iperf3 step is found");

	char *line = plan_step_line(&p.steps[0]);

	report(strcmp(line, "dma-v1 dma-map --iommu=spapr-v1 --sizes=4k-16m") == 0,
	       "the guest's plan line has single spaces and no comment");
	free(line);

	report(plan_check_files(&p, TEST_DATA_DIR "/jobs", &e) == 0, "job file found in the jobs folder");
	report(plan_check_files(&p, TEST_DATA_DIR, &e) == -1 &&
	       strcmp(e.msg, "plan " PLAN " line 4: fio job file 'randread-qd1.fio' not found in "
			     TEST_DATA_DIR) == 0,
	       "a missing job file names the plan line and the folder");
	plan_free(&p);
}

static void test_no_iperf(void)
{
	struct tl_error e;
	struct plan p;

	parse(&p, "a dma-map\n", &e);
	report(plan_iperf_step(&p) == NULL, "no iperf3 step, no server needed");
	plan_free(&p);
}

static void test_bad_plans(void)
{
	char long_name[PLAN_NAME_MAX + 2];
	char text[PLAN_NAME_MAX + 16], want[256];

	/* the list of engines grows; the message must name them all */
	snprintf(want, sizeof(want), "plan " PLAN " line 3: unknown engine 'xyz' (known: %s)",
		 engine_names());
	expect_error("an unknown engine", "a dma-map\n# c\nb xyz 1\n", want);
	expect_error("a duplicate name", "a dma-map\n\nb iperf3\na iperf3\n",
		     "plan " PLAN " line 4: duplicate name 'a' (first on line 1)");
	expect_error("an upper-case name", "Fio fio x.fio\n",
		     "plan " PLAN " line 1: invalid name 'Fio' (want [a-z0-9._-]+, at most 64 characters)");
	expect_error("a name with a slash", "a/b dma-map\n",
		     "plan " PLAN " line 1: invalid name 'a/b' (want [a-z0-9._-]+, at most 64 characters)");
	memset(long_name, 'a', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	snprintf(text, sizeof(text), "%s dma-map\n", long_name);
	snprintf(want, sizeof(want), "plan " PLAN " line 1: invalid name '%s' (want [a-z0-9._-]+, at most 64 characters)",
		 long_name);
	expect_error("a name longer than 64", text, want);
	expect_error("a name without engine", "lonely\n",
		     "plan " PLAN " line 1: 'lonely' has no engine (want: NAME ENGINE ARG...)");
	expect_error("fio without a job file", "f fio\n",
		     "plan " PLAN " line 1: fio takes one argument, its job file: NAME fio JOBFILE");
	expect_error("fio with more arguments", "f fio a.fio --runtime=1\n",
		     "plan " PLAN " line 1: fio takes one argument, its job file: NAME fio JOBFILE");
	expect_error("a job file path", "f fio ../a.fio\n",
		     "plan " PLAN " line 1: job file '../a.fio' must be a file name in the jobs folder");
	expect_error("an argument the shell would expand", "a dma-map --sizes=$(reboot)\n",
		     "plan " PLAN " line 1: argument '--sizes=$(reboot)' has '$', which the guest shell would interpret");
	expect_error("a quote in an argument", "a iperf3 -t '5'\n",
		     "plan " PLAN " line 1: argument ''5'' has ''', which the guest shell would interpret");
	expect_error("an empty plan", "",
		     "plan " PLAN ": no workloads (want one a line: NAME ENGINE ARG...)");
	expect_error("a plan of comments", "# nothing\n\n   \n",
		     "plan " PLAN ": no workloads (want one a line: NAME ENGINE ARG...)");
}

static void test_load(void)
{
	struct tl_error e;
	struct plan p;

	report(plan_load(&p, TEST_DATA_DIR "/no-such.plan", &e) == -1 &&
	       strcmp(e.msg, "plan " TEST_DATA_DIR "/no-such.plan: no such file") == 0,
	       "a missing plan file is named");
	plan_free(&p);
	report(plan_load(&p, TEST_DEFAULT_PLAN, &e) == 0 && p.nsteps > 0, "the default plan parses");
	if (p.nsteps == 0)
		report_info("%s", e.msg);
	report(plan_check_files(&p, TEST_FIO_JOBS, &e) == 0, "the default plan's job files exist");
	plan_free(&p);
}

int main(void)
{
	test_good_plan();
	test_no_iperf();
	test_bad_plans();
	test_load();
	return report_summary();
}
