// SPDX-License-Identifier: GPL-2.0-only
/* Console markers, and what the progress display keeps of them. */
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "ktap.h"
#include "progress.h"
#include "tcelab/error.h"

static void test_markers(void)
{
	struct marker m;

	m = console_parse("TCELAB-BOOT kernel=6.12.95+deb12-powerpc64le\r");
	report(m.kind == MARKER_BOOT && strcmp(m.text, "6.12.95+deb12-powerpc64le") == 0,
	       "BOOT: kernel, without the hvc console's CR");
	m = console_parse("TCELAB-STEP 2/7 fio-randread-qd1 begin");
	report(m.kind == MARKER_STEP_BEGIN && m.index == 2 && m.total == 7 &&
	       strcmp(m.name, "fio-randread-qd1") == 0, "STEP begin: index, total, name");
	m = console_parse("TCELAB-STEP 2/7 fio-randread-qd1 end rc=124 secs=300");
	report(m.kind == MARKER_STEP_END && m.rc == 124 && m.secs == 300, "STEP end: rc and secs");
	m = console_parse("TCELAB-ERROR TCELAB_DUT 0001:00:00.0: no such PCI device");
	report(m.kind == MARKER_ERROR && strcmp(m.text, "TCELAB_DUT 0001:00:00.0: no such PCI device") == 0,
	       "ERROR: the message");
	m = console_parse("TCELAB-PLAN end steps=7 failed=2");
	report(m.kind == MARKER_PLAN_END && m.steps == 7 && m.failed == 2, "PLAN end: counts");

	report(console_parse("[    4.41] reboot: Power down").kind == MARKER_NONE, "a kernel line is no marker");
	report(console_parse("TCELAB-STEP 2/7 fio begin now").kind == MARKER_NONE, "trailing words: no marker");
	report(console_parse("TCELAB-STEP 8/7 fio begin").kind == MARKER_NONE, "index beyond total: no marker");
	report(console_parse("TCELAB-STEP 1/7 Bad begin").kind == MARKER_NONE, "invalid name: no marker");
	report(console_parse("TCELAB-STEP 1/7 fio end rc=x").kind == MARKER_NONE, "garbled end: no marker");
	report(console_parse(" TCELAB-PLAN end steps=1 failed=0").kind == MARKER_NONE,
	       "a marker not at the start of the line is none");
}

static void test_progress(void)
{
	const char *lines[] = {
		"noise before boot",
		"TCELAB-BOOT kernel=6.12",
		"TCELAB-STEP 1/2 a begin",
		"[ 3.1] some kernel message",
		"TCELAB-STEP 1/2 a end rc=0 secs=3",
		"TCELAB-STEP 1/2 a end rc=9 secs=9", /* a repeated line must not count twice */
		"TCELAB-STEP 2/2 b begin",
		"TCELAB-ERROR something broke",
		"TCELAB-STEP 2/2 b end rc=124 secs=60",
		"TCELAB-STEP 1/1 stranger end rc=0 secs=1",
		"TCELAB-PLAN end steps=2 failed=1",
	};
	struct tl_error e;
	struct plan plan;
	struct progress p;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	plan_parse(&plan, "p", "a dma-map\nb fio x.fio\n", &e);
	progress_init(&p, f, &plan, 0);
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		progress_feed(&p, lines[i], 5);
	fclose(f);
	report(p.booted && p.plan_ended && strcmp(p.kernel, "6.12") == 0, "boot and plan end seen");
	report(p.seen[0].ended && p.seen[0].rc == 0 && p.seen[0].secs == 3, "step a: the first end marker counts");
	report(p.seen[1].ended && p.seen[1].rc == 124, "step b: killed at the step timeout");
	report(p.guest_errors.n == 1 && strcmp(p.guest_errors.v[0], "something broke") == 0,
	       "guest errors kept");
	report(strstr(out, "[1/2] a ... ok (3 s)\n") != NULL, "terminal: a passed");
	report(strstr(out, "guest error: something broke\n") != NULL, "terminal: the guest error");
	report(strstr(out, "[2/2] b ... FAILED: killed at the step timeout (60 s)\n") != NULL,
	       "terminal: b's verdict on its own line after the error");
	report(strstr(out, "stranger") == NULL, "a step not in the plan is ignored");
	progress_free(&p);
	plan_free(&plan);
	free(out);
}

int main(void)
{
	test_markers();
	test_progress();
	return report_summary();
}
