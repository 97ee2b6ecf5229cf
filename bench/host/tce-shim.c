// SPDX-License-Identifier: GPL-2.0-only
/*
 * tcelab-tce-shim.so: an LD_PRELOAD library for QEMU on a POWER KVM host
 * that hides KVM capabilities from it, so that a stock kernel can run the
 * userspace TCE path.
 *
 * QEMU keeps a VFIO-backed sPAPR TCE table in the kernel only when
 * KVM_CHECK_EXTENSION says KVM_CAP_SPAPR_TCE_VFIO (and KVM_CAP_SPAPR_TCE);
 * it has no option of its own to keep the table in userspace. Answering 0
 * to that one question makes QEMU create the table with fd -1, skip the
 * KVM-VFIO group attach, and handle every H_PUT_TCE, H_PUT_TCE_INDIRECT
 * and H_STUFF_TCE on the device's LIOBN itself. (Failing
 * KVM_CREATE_SPAPR_TCE_64 instead does not work: QEMU then still tries the
 * attach with fd -1 and aborts with "vfio: DMA mapping failed".)
 *
 * Environment:
 *   TCELAB_SHIM_HIDE  capabilities to answer 0 for, comma-separated names
 *                     (spapr_tce, spapr_tce_64, spapr_tce_vfio,
 *                     spapr_multitce) or numbers; default spapr_tce_vfio
 *   TCELAB_SHIM_LOG   a file to append one line to for each answer hidden:
 *                     "hidden cap=142 name=spapr_tce_vfio fd=12 real=1"
 *                     (the proof that the shim was loaded and acted)
 *
 * Only KVM_CHECK_EXTENSION is looked at; every other ioctl() goes to libc
 * untouched. The capability is asked on /dev/kvm and on VM fds with the
 * same request number, so both are covered.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tce-shim.h"

#define MAX_HIDDEN 16

typedef int ioctl_fn(int fd, unsigned long request, ...);

static ioctl_fn *real_ioctl;
static long hidden[MAX_HIDDEN];
static int nhidden = -1; /* -1: not configured yet */
static const char *log_path;

static const struct {
	const char *name;
	long cap;
} cap_names[] = {
	{ "spapr_tce", TCE_SHIM_CAP_SPAPR_TCE },
	{ "spapr_tce_64", TCE_SHIM_CAP_SPAPR_TCE_64 },
	{ "spapr_tce_vfio", TCE_SHIM_CAP_SPAPR_TCE_VFIO },
	{ "spapr_multitce", TCE_SHIM_CAP_SPAPR_MULTITCE },
};

#define NNAMES (sizeof(cap_names) / sizeof(cap_names[0]))

const char *tce_shim_cap_name(long cap)
{
	for (size_t i = 0; i < NNAMES; i++)
		if (cap_names[i].cap == cap)
			return cap_names[i].name;
	return "other";
}

int tce_shim_parse(const char *text, long *caps, int max)
{
	char buf[256], *save, *tok;
	int n = 0;

	if (!text || strlen(text) >= sizeof(buf))
		return -1;
	strcpy(buf, text);
	for (tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		char *end;
		long cap = -1;

		for (size_t i = 0; i < NNAMES; i++)
			if (strcmp(tok, cap_names[i].name) == 0)
				cap = cap_names[i].cap;
		if (cap < 0) {
			cap = strtol(tok, &end, 0);
			if (*end || end == tok || cap < 0)
				return -1;
		}
		if (n == max)
			return -1;
		caps[n++] = cap;
	}
	return n;
}

static void configure(void)
{
	const char *spec = getenv("TCELAB_SHIM_HIDE");

	real_ioctl = (ioctl_fn *)dlsym(RTLD_NEXT, "ioctl");
	log_path = getenv("TCELAB_SHIM_LOG");
	nhidden = tce_shim_parse(spec && *spec ? spec : "spapr_tce_vfio", hidden, MAX_HIDDEN);
	if (nhidden < 0) {
		/* A typo must not silently give the in-kernel path. */
		fprintf(stderr, "tcelab-tce-shim: bad TCELAB_SHIM_HIDE '%s'\n", spec);
		_exit(125);
	}
}

static void log_hidden(int fd, long cap, int real)
{
	char line[160];
	int lfd, len;

	if (!log_path || !*log_path)
		return;
	len = snprintf(line, sizeof(line), "hidden cap=%ld name=%s fd=%d real=%d pid=%d\n", cap,
		       tce_shim_cap_name(cap), fd, real, (int)getpid());
	/* O_APPEND and one write(): lines from several threads do not mix. */
	lfd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (lfd < 0)
		return;
	if (write(lfd, line, len) != len) {
		/* nothing to do: the log is evidence, not function */
	}
	close(lfd);
}

/* glibc's prototype: int ioctl(int, unsigned long, ...). */
int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, request);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (nhidden < 0)
		configure();
	if (!real_ioctl) {
		errno = ENOSYS;
		return -1;
	}
	if (request == TCE_SHIM_KVM_CHECK_EXTENSION) {
		long cap = (long)arg;

		for (int i = 0; i < nhidden; i++)
			if (hidden[i] == cap) {
				int saved = errno;
				int real = real_ioctl(fd, request, arg);

				log_hidden(fd, cap, real);
				errno = saved;
				return 0;
			}
	}
	return real_ioctl(fd, request, arg);
}
