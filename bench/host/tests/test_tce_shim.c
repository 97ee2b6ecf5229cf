// SPDX-License-Identifier: GPL-2.0-only
/* The capability shim (bench/host/tce-shim.c), linked in so that its
 * ioctl() comes first, as under LD_PRELOAD: it answers 0 to
 * KVM_CHECK_EXTENSION for the hidden capabilities only, logs each answer,
 * and passes everything else to libc. */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ktap.h"
#include "tce-shim.h"

int main(void)
{
	char log[] = "/tmp/tcelab-shim-test.XXXXXX";
	long caps[4];
	char buf[512] = "";
	int fd, lfd, r;

	/* _IO(0xAE, 3): direction "none" is 0 on x86, 1 << 29 on powerpc */
	report(TCE_SHIM_KVM_CHECK_EXTENSION == (_IOC(_IOC_NONE, 0, 0, 0) | 0xae03ul),
	       "KVM_CHECK_EXTENSION is _IO(KVMIO, 3) in this target's encoding (%#lx)",
	       TCE_SHIM_KVM_CHECK_EXTENSION);
	report(TCE_SHIM_CAP_SPAPR_TCE == 63 && TCE_SHIM_CAP_SPAPR_TCE_64 == 125 &&
		       TCE_SHIM_CAP_SPAPR_TCE_VFIO == 142 && TCE_SHIM_CAP_SPAPR_MULTITCE == 94,
	       "capability numbers (uapi, the same everywhere)");
	report(tce_shim_parse("spapr_tce_vfio,63, 0x7d", caps, 4) == 3 && caps[0] == 142 &&
		       caps[1] == 63 && caps[2] == 125,
	       "names and numbers parse");
	report(tce_shim_parse("spapr_tce_vfi0", caps, 4) < 0 && tce_shim_parse("1,2,3,4,5", caps, 4) < 0,
	       "typos and overlong lists are refused");

	lfd = mkstemp(log);
	close(lfd);
	setenv("TCELAB_SHIM_LOG", log, 1);
	setenv("TCELAB_SHIM_HIDE", "spapr_tce_vfio", 1);
	fd = open("/dev/null", O_RDONLY);

	/* /dev/null knows no KVM ioctl: the real answer is -1 ENOTTY */
	errno = 0;
	r = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE_VFIO);
	report(r == 0, "KVM_CAP_SPAPR_TCE_VFIO answered 0 (got %d)", r);
	errno = 0;
	r = ioctl(fd, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE);
	report(r == -1 && errno == ENOTTY, "KVM_CAP_SPAPR_TCE passed through (got %d, %s)", r,
	       strerror(errno));
	{
		int pfd[2], avail = -1;

		if (pipe(pfd) == 0 && write(pfd[1], "abc", 3) == 3) {
			r = ioctl(pfd[0], FIONREAD, &avail);
			report(r == 0 && avail == 3, "other ioctls pass through (FIONREAD on a pipe: %d)", avail);
		} else {
			report(false, "pipe");
		}
	}

	lfd = open(log, O_RDONLY);
	r = (int)read(lfd, buf, sizeof(buf) - 1);
	close(lfd);
	report(r > 0 && strncmp(buf, "hidden cap=142 name=spapr_tce_vfio fd=", 38) == 0 &&
		       strstr(buf, "real=-1") && !strchr(strchr(buf, '\n') + 1, '\n'),
	       "one log line for the one hidden answer: %.*s", r > 0 ? r - 1 : 0, buf);
	unlink(log);
	close(fd);
	return report_summary();
}
