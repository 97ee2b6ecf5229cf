// SPDX-License-Identifier: GPL-2.0-only
#include "scratch.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "files.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"

static int make_sparse(const char *path, uint64_t bytes, struct tl_error *e)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	int ret = 0;

	if (fd < 0)
		return tl_err_errno(e, "cannot create disk image %s", path);
	if (ftruncate(fd, (off_t)bytes) != 0)
		ret = tl_err_errno(e, "cannot size disk image %s", path);
	close(fd);
	return ret;
}

int scratch_create(struct scratch *s, struct tl_error *e)
{
	const char *tmp = getenv("TMPDIR");
	char *templ = xasprintf("%s/tcelab-disks-XXXXXX", tmp && *tmp ? tmp : "/tmp");

	*s = (struct scratch){ 0 };
	if (!mkdtemp(templ)) {
		tl_err_errno(e, "cannot create a scratch folder like %s", templ);
		free(templ);
		return -1;
	}
	s->dir = templ;
	for (int role = 0; role < LAB_NROLES; role++) {
		const struct lab_device *dev = &lab_devices[role];

		if (dev->disk_bytes == 0)
			continue;
		s->disk[role] = xasprintf("%s/%s", s->dir, dev->disk_file);
		if (make_sparse(s->disk[role], dev->disk_bytes, e)) {
			scratch_remove(s);
			return -1;
		}
	}
	return 0;
}

void scratch_remove(struct scratch *s)
{
	if (s->dir)
		tree_remove(s->dir);
	free(s->dir);
	for (int role = 0; role < LAB_NROLES; role++)
		free(s->disk[role]);
	*s = (struct scratch){ 0 };
}
