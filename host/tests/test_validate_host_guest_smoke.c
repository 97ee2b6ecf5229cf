// SPDX-License-Identifier: GPL-2.0-only
/*
 * The guest smoke's checks (checks_guest.c) against a stand-in QEMU
 * (data/fake-qemu) that prints the consoles of guests that pass, fail a
 * verify, never come back, or that QEMU could not start, and QEMU's
 * interrupt controller fallback on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks.h"
#include "../../tests/ktap.h"

#define ADDR "0001:00:00.0"

struct smoke {
	struct vh_options o;
	struct vh_ctx c;
	struct report r;
};

static void run(struct smoke *s, const char *mode, unsigned boots, unsigned timeout)
{
	memset(s, 0, sizeof(*s));
	s->o = (struct vh_options){
		.boot_guest = true,
		.guest_image = "/nonexistent-guest-image", /* the fake does not read it */
		.qemu = TEST_DATA_DIR "/fake-qemu",
		.guest_machine = "pseries,x-vof=on",
		.guest_boots = boots,
		.guest_timeout = timeout,
		.guest_dma_window = 64ull << 20,
		.guest_mem = 512ull << 20,
	};
	s->c.o = &s->o;
	s->c.r = &s->r;
	s->c.can_create_vm = true;
	setenv("FAKE_QEMU", mode, 1);
	report_init(&s->r, fopen("/dev/null", "w"), false);
	check_guest_device(&s->c, ADDR);
}

static enum check_status status(const struct smoke *s, const char *id)
{
	const struct check *c = report_find(&s->r, id);

	return c ? c->status : (enum check_status)-1;
}

static const char *summary(const struct smoke *s, const char *id)
{
	const struct check *c = report_find(&s->r, id);

	return c ? c->summary : "(no such check)";
}

static void done(struct smoke *s)
{
	fclose(s->r.out);
	for (size_t i = 0; i < s->c.nmetrics; i++)
		free(s->c.metrics[i].samples);
	report_free(&s->r);
}

int main(void)
{
	struct smoke s;

	run(&s, "pass", 3, 30);
	report(status(&s, "guest.start") == CHECK_PASS && status(&s, "guest.irqchip") == CHECK_PASS,
	       "pass: the guest started, no irqchip fallback");
	report(status(&s, "guest.boot1.dma-verify") == CHECK_PASS &&
		       status(&s, "guest.boot2.dma-verify") == CHECK_PASS &&
		       status(&s, "guest.boot3.dma-verify") == CHECK_PASS &&
		       strstr(summary(&s, "guest.boot3.dma-verify"), "boot 3 (after reboot 2): verify passed"),
	       "pass: three boots verified (%s)", summary(&s, "guest.boot3.dma-verify"));
	report(s.c.nmetrics == 1 && !strcmp(s.c.metrics[0].name, "guest-boot-to-verify") &&
		       s.c.metrics[0].n == 3,
	       "pass: one boot-to-verify time per boot");
	report(s.r.required_failed == 0, "pass: no required check failed");
	done(&s);

	run(&s, "fallback", 1, 30);
	report(status(&s, "guest.irqchip") == CHECK_FAIL &&
		       status(&s, "guest.boot1.dma-verify") == CHECK_PASS && s.r.required_failed == 1,
	       "fallback: QEMU's userspace interrupt controller is a required failure, DMA still checked");
	done(&s);

	run(&s, "verify-fail", 3, 30);
	report(status(&s, "guest.boot1.dma-verify") == CHECK_PASS &&
		       status(&s, "guest.boot2.dma-verify") == CHECK_FAIL &&
		       strstr(summary(&s, "guest.boot2.dma-verify"), "exit 1: verify FAILED") &&
		       status(&s, "guest.boot3.dma-verify") == CHECK_SKIP,
	       "verify-fail: boot 2 fails with nvme-perf's line, boot 3 is skipped (%s)",
	       summary(&s, "guest.boot2.dma-verify"));
	done(&s);

	run(&s, "no-return", 3, 2);
	report(status(&s, "guest.boot1.dma-verify") == CHECK_PASS &&
		       status(&s, "guest.boot2.dma-verify") == CHECK_FAIL &&
		       strstr(summary(&s, "guest.boot2.dma-verify"), "did not come back: nothing new") &&
		       status(&s, "guest.boot3.dma-verify") == CHECK_SKIP,
	       "no-return: a guest that hangs after a reboot is stopped at the timeout and fails (%s)",
	       summary(&s, "guest.boot2.dma-verify"));
	done(&s);

	run(&s, "exit", 3, 30);
	report(status(&s, "guest.start") == CHECK_FAIL &&
		       strstr(summary(&s, "guest.start"), "QEMU exited with status 1: ") &&
		       strstr(summary(&s, "guest.start"), "group 1 is not viable") &&
		       !report_find(&s.r, "guest.boot1.dma-verify"),
	       "exit: QEMU's own error is the failure, no boot checks (%s)",
	       summary(&s, "guest.start"));
	done(&s);

	return report_summary();
}
