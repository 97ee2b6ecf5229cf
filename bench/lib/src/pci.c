// SPDX-License-Identifier: GPL-2.0-only
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "tcelab/error.h"
#include "tcelab/pci.h"

char *tl_read_file(const char *path, size_t *len, struct tl_error *e)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || !buf) {
		tl_err_errno(e, "%s", path);
		free(buf);
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	/* sysfs and procfs files report size 0: read until EOF */
	for (;;) {
		ssize_t r;

		if (n + 1 == cap) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger) {
				tl_err(e, "%s: out of memory", path);
				goto fail;
			}
			buf = bigger;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			tl_err_errno(e, "%s", path);
			goto fail;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

static int write_sysfs(const char *path, const char *value, struct tl_error *e)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t n = strlen(value);

	if (fd < 0)
		return tl_err_errno(e, "open %s", path);
	if (write(fd, value, n) != (ssize_t)n) {
		tl_err_errno(e, "write '%s' to %s", value, path);
		close(fd);
		return -1;
	}
	return close(fd) ? tl_err_errno(e, "write '%s' to %s", value, path) : 0;
}

int pci_addr_parse(const char *text, char out[PCI_ADDR_LEN], struct tl_error *e)
{
	unsigned dom = 0, bus, slot, fn;
	char tail;

	if (sscanf(text, "%x:%x:%x.%x%c", &dom, &bus, &slot, &fn, &tail) != 4) {
		dom = 0;
		if (sscanf(text, "%x:%x.%x%c", &bus, &slot, &fn, &tail) != 3)
			return tl_err(e, "'%s' is not a PCI address (expected dddd:bb:ss.f)", text);
	}
	if (dom > 0xffff || bus > 0xff || slot > 0x1f || fn > 7)
		return tl_err(e, "'%s' is not a PCI address: a field is out of range", text);
	snprintf(out, PCI_ADDR_LEN, "%04x:%02x:%02x.%x", dom, bus, slot, fn);
	return 0;
}

static int device_path(const char *sysfs, const char *addr, char *path, size_t len,
		       struct tl_error *e)
{
	struct stat st;

	snprintf(path, len, "%s/bus/pci/devices/%s", sysfs, addr);
	if (stat(path, &st))
		return tl_err(e, "no PCI device %s (%s does not exist)", addr, path);
	return 0;
}

/* Basename of a symlink's target, "" when the link does not exist. */
static int link_name(const char *path, char *out, size_t len, struct tl_error *e)
{
	char target[PATH_MAX];
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	const char *base;

	if (n < 0) {
		if (errno == ENOENT) {
			out[0] = '\0';
			return 0;
		}
		return tl_err_errno(e, "readlink %s", path);
	}
	target[n] = '\0';
	base = strrchr(target, '/');
	snprintf(out, len, "%s", base ? base + 1 : target);
	return 0;
}

int pci_driver(const char *sysfs, const char *addr, char *drv, size_t len, struct tl_error *e)
{
	char path[PATH_MAX];

	if (device_path(sysfs, addr, path, sizeof(path), e))
		return -1;
	strncat(path, "/driver", sizeof(path) - strlen(path) - 1);
	return link_name(path, drv, len, e);
}

int pci_iommu_group(const char *sysfs, const char *addr, int *group, struct tl_error *e)
{
	char path[PATH_MAX], name[64], *end;

	if (device_path(sysfs, addr, path, sizeof(path), e))
		return -1;
	strncat(path, "/iommu_group", sizeof(path) - strlen(path) - 1);
	if (link_name(path, name, sizeof(name), e))
		return -1;
	if (!name[0])
		return tl_err(e, "PCI device %s has no IOMMU group (is the IOMMU enabled?)", addr);
	*group = (int)strtol(name, &end, 10);
	if (*end)
		return tl_err(e, "PCI device %s: odd IOMMU group name '%s'", addr, name);
	return 0;
}

/* Is the first field of some line of table equal to word? */
static bool first_field_is(const char *table, const char *word)
{
	size_t n = strlen(word);

	for (const char *line = table; line && *line;) {
		if (!strncmp(line, word, n) && (line[n] == ' ' || line[n] == '\t'))
			return true;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return false;
}

/* The mount point of a "/dev/root" line: the kernel's name for root=. */
static bool root_alias_is(const char *mounts, const char *sysfs, const char *blk)
{
	char path[PATH_MAX];
	unsigned maj, min;
	struct stat st;
	char *dev;
	struct tl_error e;
	bool same;

	if (!first_field_is(mounts, "/dev/root"))
		return false;
	snprintf(path, sizeof(path), "%s/class/block/%s/dev", sysfs, blk);
	dev = tl_read_file(path, NULL, &e);
	if (!dev)
		return false;
	same = sscanf(dev, "%u:%u", &maj, &min) == 2 && !stat("/", &st) &&
	       major(st.st_dev) == maj && minor(st.st_dev) == min;
	free(dev);
	return same;
}

static bool has_holders(const char *sysfs, const char *blk)
{
	char path[PATH_MAX];
	struct dirent *d;
	bool any = false;
	DIR *dir;

	snprintf(path, sizeof(path), "%s/class/block/%s/holders", sysfs, blk);
	dir = opendir(path);
	if (!dir)
		return false;
	while ((d = readdir(dir)))
		if (d->d_name[0] != '.')
			any = true;
	closedir(dir);
	return any;
}

/* Default-route interfaces: /proc/net/route lines with destination 0. */
static bool carries_default_route(const char *routes, const char *ifname)
{
	for (const char *line = routes; line && *line;) {
		char iface[64];
		unsigned long dest;

		if (sscanf(line, "%63s %lx", iface, &dest) == 2 && dest == 0 &&
		    !strcmp(iface, ifname))
			return true;
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return false;
}

/*
 * Call check(name) for each entry of SYSFS/class/CLASS whose device lies
 * under the PCI device; stop at the first that reports the device busy.
 */
static int for_each_child(const char *sysfs, const char *devreal, const char *class,
			  int (*check)(const char *name, const void *ctx, struct tl_error *e),
			  const void *ctx, struct tl_error *e)
{
	char dirpath[PATH_MAX], path[PATH_MAX], real[PATH_MAX];
	size_t n = strlen(devreal);
	struct dirent *d;
	int ret = 0;
	DIR *dir;

	snprintf(dirpath, sizeof(dirpath), "%s/class/%s", sysfs, class);
	dir = opendir(dirpath);
	if (!dir)
		return 0; /* no such class on this kernel: nothing can be held */
	while (!ret && (d = readdir(dir))) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dirpath, d->d_name);
		if (!realpath(path, real) || strncmp(real, devreal, n) || real[n] != '/')
			continue;
		ret = check(d->d_name, ctx, e);
	}
	closedir(dir);
	return ret;
}

struct use_ctx {
	const char *sysfs, *addr, *mounts, *swaps, *routes;
};

static int check_one_block(const struct use_ctx *c, const char *name, struct tl_error *e)
{
	char dev[PATH_MAX];

	snprintf(dev, sizeof(dev), "/dev/%s", name);
	if (c->mounts && (first_field_is(c->mounts, dev) || root_alias_is(c->mounts, c->sysfs, name)))
		return tl_err(e, "refusing PCI device %s: it holds %s, which is mounted", c->addr, dev);
	if (c->swaps && first_field_is(c->swaps, dev))
		return tl_err(e, "refusing PCI device %s: it holds %s, which is in use as swap",
			      c->addr, dev);
	if (has_holders(c->sysfs, name))
		return tl_err(e, "refusing PCI device %s: %s is held by device-mapper, md or similar",
			      c->addr, dev);
	return 0;
}

/*
 * With native NVMe multipath (on in Debian's kernels) only the hidden path
 * node nvme<S>c<C>n<N> lies under the PCI device; the disk that gets
 * mounted is the namespace head nvme<S>n<N> (and its partitions), which
 * lives under the virtual nvme-subsystem. Check those too.
 */
static int check_block(const char *name, const void *p, struct tl_error *e)
{
	const struct use_ctx *c = p;
	unsigned subsys, ctrl, ns;
	char head[64], dirpath[PATH_MAX];
	struct dirent *d;
	int ret;
	DIR *dir;

	if (check_one_block(c, name, e))
		return -1;
	if (sscanf(name, "nvme%uc%un%u", &subsys, &ctrl, &ns) != 3)
		return 0;
	snprintf(head, sizeof(head), "nvme%un%u", subsys, ns);
	if (check_one_block(c, head, e))
		return -1;
	snprintf(dirpath, sizeof(dirpath), "%s/class/block", c->sysfs);
	dir = opendir(dirpath);
	if (!dir)
		return 0;
	ret = 0;
	while (!ret && (d = readdir(dir))) {
		size_t n = strlen(head);

		if (!strncmp(d->d_name, head, n) && d->d_name[n] == 'p')
			ret = check_one_block(c, d->d_name, e);
	}
	closedir(dir);
	return ret;
}

static int check_net(const char *name, const void *p, struct tl_error *e)
{
	const struct use_ctx *c = p;

	if (c->routes && carries_default_route(c->routes, name))
		return tl_err(e, "refusing PCI device %s: its interface %s carries the default route",
			      c->addr, name);
	return 0;
}

int pci_check_not_in_use(const char *sysfs, const char *addr, const char *mounts,
			 const char *swaps, const char *routes, struct tl_error *e)
{
	struct use_ctx ctx = { sysfs, addr, mounts, swaps, routes };
	char path[PATH_MAX], real[PATH_MAX];

	if (device_path(sysfs, addr, path, sizeof(path), e))
		return -1;
	if (!realpath(path, real))
		return tl_err_errno(e, "realpath %s", path);
	if (for_each_child(sysfs, real, "block", check_block, &ctx, e))
		return -1;
	return for_each_child(sysfs, real, "net", check_net, &ctx, e);
}

/* Drivers that leave a group viable: VFIO's own, none, and stubs. */
static bool driver_keeps_viable(const char *drv)
{
	return !drv[0] || !strcmp(drv, "vfio-pci") || !strcmp(drv, "pci-stub") ||
	       !strcmp(drv, "pcieport");
}

int pci_group_viable(const char *sysfs, const char *addr, struct tl_error *e)
{
	char path[PATH_MAX], drv[64];
	struct dirent *d;
	int group, ret = 0;
	DIR *dir;

	if (pci_iommu_group(sysfs, addr, &group, e))
		return -1;
	snprintf(path, sizeof(path), "%s/kernel/iommu_groups/%d/devices", sysfs, group);
	dir = opendir(path);
	if (!dir)
		return tl_err_errno(e, "IOMMU group %d of %s: %s", group, addr, path);
	while (!ret && (d = readdir(dir))) {
		if (d->d_name[0] == '.' || !strcmp(d->d_name, addr))
			continue;
		if (pci_driver(sysfs, d->d_name, drv, sizeof(drv), e))
			ret = -1;
		else if (!driver_keeps_viable(drv))
			ret = tl_err(e,
				     "PCI device %s shares IOMMU group %d with %s, which is bound to %s: "
				     "the group is not viable (put the device on its own PHB/slot)",
				     addr, group, d->d_name, drv);
	}
	closedir(dir);
	return ret;
}

static char *read_optional(const char *path)
{
	struct tl_error ignored;

	return tl_read_file(path, NULL, &ignored);
}

int pci_bind_vfio(const char *sysfs, const char *addr, struct tl_error *e)
{
	char path[PATH_MAX], drv[64], probe[PATH_MAX];
	char *mounts, *swaps, *routes;
	struct stat st;
	int ret;

	if (pci_driver(sysfs, addr, drv, sizeof(drv), e))
		return -1;
	if (!strcmp(drv, "vfio-pci"))
		return 0;
	mounts = read_optional("/proc/mounts");
	swaps = read_optional("/proc/swaps");
	routes = read_optional("/proc/net/route");
	ret = pci_check_not_in_use(sysfs, addr, mounts, swaps, routes, e);
	free(mounts);
	free(swaps);
	free(routes);
	if (ret)
		return -1;

	snprintf(path, sizeof(path), "%s/bus/pci/drivers/vfio-pci", sysfs);
	if (stat(path, &st))
		return tl_err(e, "cannot bind %s: the vfio-pci driver is not loaded (modprobe vfio-pci)",
			      addr);
	/* override first, so that no other driver can grab it once unbound */
	snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver_override", sysfs, addr);
	if (write_sysfs(path, "vfio-pci", e))
		return tl_err_wrap(e, "binding %s to vfio-pci", addr);
	if (drv[0]) {
		snprintf(path, sizeof(path), "%s/bus/pci/devices/%s/driver/unbind", sysfs, addr);
		if (write_sysfs(path, addr, e))
			return tl_err_wrap(e, "unbinding %s from %s", addr, drv);
	}
	snprintf(probe, sizeof(probe), "%s/bus/pci/drivers_probe", sysfs);
	if (write_sysfs(probe, addr, e))
		return tl_err_wrap(e, "binding %s to vfio-pci", addr);
	if (pci_driver(sysfs, addr, drv, sizeof(drv), e))
		return -1;
	if (strcmp(drv, "vfio-pci"))
		return tl_err(e, "binding %s to vfio-pci: device is bound to '%s' after probing", addr,
			      drv[0] ? drv : "no driver");
	return 0;
}
