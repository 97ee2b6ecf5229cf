// SPDX-License-Identifier: GPL-2.0-only
/* The smoke guest's console turned into per-boot results (guest_console.c),
 * on recorded consoles: boots that pass, a verify that fails, a set-up error,
 * a guest that never comes back. */
#include <string.h>

#include "guest_console.h"
#include "../../tests/ktap.h"

/* Feed lines, one second apart. */
static void feed(struct guest_console *g, const char *const *lines)
{
	double t = 0;

	for (; *lines; lines++)
		guest_console_line(g, *lines, t += 1);
}

int main(void)
{
	struct guest_console g;

	static const char *const three_boots[] = {
		"OF stdout device is: /vdevice/vty@71000000",
		"TCELAB-BOOT kernel=6.12.95+deb12-powerpc64le\r",
		"TCELAB-LAVA no 9p share (no virtio-9p device): LAVA mode",
		"TCELAB-SMOKE begin dut=0001:00:00.0",
		"smoke: verify passed: LBA 0 to 8191 (8192 blocks of 512 B) written and read back identical",
		"TCELAB-SMOKE verify rc=0 verify passed: LBA 0 to 8191 (8192 blocks of 512 B)\r",
		"reboot: Restarting system",
		"TCELAB-BOOT kernel=6.12.95+deb12-powerpc64le",
		"TCELAB-SMOKE verify rc=0 verify passed: second",
		"TCELAB-BOOT kernel=6.12.95+deb12-powerpc64le",
		"TCELAB-SMOKE verify rc=0 verify passed: third",
		NULL,
	};
	guest_console_init(&g, 3);
	feed(&g, three_boots);
	report(g.nboots == 3 && guest_console_done(&g), "three boots, each verified: done");
	report(g.boots[0].verified && g.boots[0].rc == 0 &&
		       !strcmp(g.boots[0].verdict,
			       "verify passed: LBA 0 to 8191 (8192 blocks of 512 B)"),
	       "boot 1's verdict, without the marker or the \\r (%s)", g.boots[0].verdict);
	report(g.boots[0].t_start == 2 && g.boots[0].t_end == 6 && g.boots[2].t_end == 11,
	       "times of boot start and result");
	report(!strcmp(g.boots[2].verdict, "verify passed: third"), "boot 3's verdict");

	guest_console_init(&g, 3);
	feed(&g, (const char *const[]){ "TCELAB-BOOT kernel=x", "TCELAB-SMOKE verify rc=0 ok",
					"TCELAB-BOOT kernel=x", NULL });
	report(g.nboots == 2 && !guest_console_done(&g),
	       "the second boot started, no result yet: not done");

	guest_console_init(&g, 3);
	feed(&g, (const char *const[]){ "TCELAB-BOOT kernel=x",
					"TCELAB-SMOKE verify rc=1 verify FAILED on 0001:00:00.0 "
					"namespace 1: 3 of 2048 reads returned other data",
					NULL });
	report(guest_console_done(&g) && g.boots[0].verified && g.boots[0].rc == 1 &&
		       strstr(g.boots[0].verdict, "verify FAILED"),
	       "a failed verify ends the smoke at once");

	guest_console_init(&g, 3);
	feed(&g, (const char *const[]){ "TCELAB-BOOT kernel=x",
					"TCELAB-ERROR TCELAB_DUT 0001:00:00.0: no such PCI device",
					"TCELAB-SMOKE verify rc=0 late", NULL });
	report(guest_console_done(&g) && g.boots[0].error && !g.boots[0].verified &&
		       !strcmp(g.boots[0].verdict, "TCELAB_DUT 0001:00:00.0: no such PCI device"),
	       "a set-up error is the boot's result; later lines of that boot change nothing");

	guest_console_init(&g, 2);
	feed(&g, (const char *const[]){ "TCELAB-ERROR mount /proc", NULL });
	report(g.nboots == 1 && g.boots[0].error && guest_console_done(&g),
	       "an error before the boot marker still counts as boot 1's");

	guest_console_init(&g, 2);
	feed(&g, (const char *const[]){ "TCELAB-SMOKE verify rc=0 stray", "[    0.0] Linux version",
					NULL });
	report(g.nboots == 0 && !guest_console_done(&g),
	       "a result before any boot marker is ignored");

	guest_console_init(&g, 1);
	for (int i = 0; i < 100; i++) {
		char line[32];

		snprintf(line, sizeof(line), "line %d", i);
		guest_console_line(&g, line, i);
	}
	{
		const char *first = g.tail[g.ntail % GUEST_TAIL_LINES];

		report(g.ntail == 100 && !strcmp(first, "line 70"),
		       "the tail keeps the last %d lines (oldest kept: %s)", GUEST_TAIL_LINES, first);
	}
	return report_summary();
}
