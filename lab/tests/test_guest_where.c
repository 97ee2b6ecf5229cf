// SPDX-License-Identifier: GPL-2.0-only
/* Where a run was measured: the guest's out/guest.env plus the runner's facts. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "files.h"
#include "guest_where.h"
#include "ktap.h"
#include "tcelab/error.h"
#include "topology.h"

int main(void)
{
	char path[] = "/tmp/tcelab-test-guest-env-XXXXXX";
	const struct lab_machine *pnv = lab_machine_find("powernv9");
	struct result_where w;
	struct tl_error e;
	char buf[64];
	int fd = mkstemp(path);

	if (fd < 0) {
		report(false, "mkstemp");
		return report_summary();
	}
	close(fd);
	file_write(path, "KERNEL=6.12.95+deb12-powerpc64le\nMACHINE=\nMODEL=IBM PowerNV (emulated by qemu)\n"
			 "CPU=POWER9, altivec supported\nTIMEBASE_HZ=512000000\n", &e);
	guest_where(path, pnv, &w);
	report(strcmp(w.kernel, "6.12.95+deb12-powerpc64le") == 0 &&
	       strcmp(w.cpu, "POWER9, altivec supported") == 0, "kernel and cpu from guest.env");
	report(strcmp(w.machine, "IBM PowerNV (emulated by qemu)") == 0, "an empty MACHINE falls back to MODEL");
	report(strcmp(w.environment, "emulated") == 0 && strcmp(w.host_kind, "powernv9-tcg") == 0 &&
	       strcmp(w.tce_mode, "emulated") == 0, "environment, host kind and TCE mode from the runner");

	guest_where("/nonexistent/guest.env", pnv, &w);
	report(strcmp(w.kernel, "unknown") == 0 && strcmp(w.machine, "unknown") == 0 &&
	       strcmp(w.host_kind, "powernv9-tcg") == 0, "no guest.env: the guest's facts are unknown");

	report(guest_env_value("A=1\r\nKEY=with spaces\n", "KEY", buf, sizeof(buf)) &&
	       strcmp(buf, "with spaces") == 0, "values keep spaces, lose CR");
	report(!guest_env_value("XKEY=1\nKEYX=2\n", "KEY", buf, sizeof(buf)), "keys match whole");
	unlink(path);
	return report_summary();
}
