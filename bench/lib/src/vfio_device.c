// SPDX-License-Identifier: GPL-2.0-only
#include <endian.h>
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "tcelab/error.h"
#include "tcelab/vfio.h"
#include "tcelab/vfio_device.h"

static int need_device(struct vfio_dev *d, struct tl_error *e)
{
	if (d->device_fd < 0)
		return tl_err(e, "%s: the VFIO device is not open (vfio_open with open_device)",
			      d->addr);
	return 0;
}

int vfio_device_region(struct vfio_dev *d, unsigned index, struct vfio_region *r,
		       struct tl_error *e)
{
	struct vfio_region_info info = { .argsz = sizeof(info), .index = index };

	memset(r, 0, sizeof(*r));
	if (need_device(d, e))
		return -1;
	if (ioctl(d->device_fd, VFIO_DEVICE_GET_REGION_INFO, &info))
		return tl_err_errno(e, "%s: VFIO_DEVICE_GET_REGION_INFO %u", d->addr, index);
	r->index = index;
	r->size = info.size;
	r->offset = info.offset;
	r->flags = info.flags;
	return 0;
}

int vfio_device_map_bar(struct vfio_dev *d, unsigned bar, struct vfio_region *r,
			struct tl_error *e)
{
	void *p;

	if (bar > VFIO_PCI_BAR5_REGION_INDEX)
		return tl_err(e, "%s: there is no BAR %u", d->addr, bar);
	if (vfio_device_region(d, VFIO_PCI_BAR0_REGION_INDEX + bar, r, e))
		return -1;
	if (r->size == 0)
		return tl_err(e, "%s: BAR %u is not implemented (size 0)", d->addr, bar);
	if (!(r->flags & VFIO_REGION_INFO_FLAG_MMAP))
		return tl_err(e, "%s: BAR %u cannot be mmap'ed through VFIO (flags 0x%x)", d->addr,
			      bar, r->flags);
	p = mmap(NULL, r->size, PROT_READ | PROT_WRITE, MAP_SHARED, d->device_fd,
		 (off_t)r->offset);
	if (p == MAP_FAILED)
		return tl_err_errno(e, "%s: mmap BAR %u (%llu bytes)", d->addr, bar,
				    (unsigned long long)r->size);
	r->map = p;
	return 0;
}

void vfio_device_unmap_bar(struct vfio_region *r)
{
	if (r->map)
		munmap(r->map, r->size);
	r->map = NULL;
}

/* Where config space starts in the device fd: asked, not assumed. */
static int config_offset(struct vfio_dev *d, uint64_t *off, struct tl_error *e)
{
	struct vfio_region r;

	if (vfio_device_region(d, VFIO_PCI_CONFIG_REGION_INDEX, &r, e))
		return -1;
	*off = r.offset;
	return 0;
}

int vfio_device_config_read(struct vfio_dev *d, unsigned offset, void *buf, size_t len,
			    struct tl_error *e)
{
	uint64_t base;
	ssize_t n;

	if (config_offset(d, &base, e))
		return -1;
	n = pread(d->device_fd, buf, len, (off_t)(base + offset));
	if (n != (ssize_t)len)
		return n < 0 ? tl_err_errno(e, "%s: config read at 0x%x", d->addr, offset)
			     : tl_err(e, "%s: short config read at 0x%x (%zd of %zu bytes)", d->addr,
				      offset, n, len);
	return 0;
}

int vfio_device_config_write(struct vfio_dev *d, unsigned offset, const void *buf, size_t len,
			     struct tl_error *e)
{
	uint64_t base;
	ssize_t n;

	if (config_offset(d, &base, e))
		return -1;
	n = pwrite(d->device_fd, buf, len, (off_t)(base + offset));
	if (n != (ssize_t)len)
		return n < 0 ? tl_err_errno(e, "%s: config write at 0x%x", d->addr, offset)
			     : tl_err(e, "%s: short config write at 0x%x (%zd of %zu bytes)",
				      d->addr, offset, n, len);
	return 0;
}

int vfio_device_config_read16(struct vfio_dev *d, unsigned offset, uint16_t *v,
			      struct tl_error *e)
{
	uint16_t le;

	if (vfio_device_config_read(d, offset, &le, sizeof(le), e))
		return -1;
	*v = le16toh(le);
	return 0;
}

int vfio_device_config_read32(struct vfio_dev *d, unsigned offset, uint32_t *v,
			      struct tl_error *e)
{
	uint32_t le;

	if (vfio_device_config_read(d, offset, &le, sizeof(le), e))
		return -1;
	*v = le32toh(le);
	return 0;
}

int vfio_device_config_write16(struct vfio_dev *d, unsigned offset, uint16_t v,
			       struct tl_error *e)
{
	uint16_t le = htole16(v);

	return vfio_device_config_write(d, offset, &le, sizeof(le), e);
}

int vfio_device_class(struct vfio_dev *d, uint32_t *class_code, struct tl_error *e)
{
	uint32_t v;

	if (vfio_device_config_read32(d, PCI_CFG_CLASS_REVISION, &v, e))
		return -1;
	*class_code = v >> 8;
	return 0;
}

int vfio_device_bus_master(struct vfio_dev *d, bool on, struct tl_error *e)
{
	uint16_t cmd;

	if (vfio_device_config_read16(d, PCI_CFG_COMMAND, &cmd, e))
		return -1;
	if (on)
		cmd |= PCI_CFG_COMMAND_MEMORY | PCI_CFG_COMMAND_MASTER | PCI_CFG_COMMAND_INTX_DISABLE;
	else
		cmd &= (uint16_t)~PCI_CFG_COMMAND_MASTER;
	if (vfio_device_config_write16(d, PCI_CFG_COMMAND, cmd, e))
		return tl_err_wrap(e, "%s bus mastering", on ? "enabling" : "disabling");
	return 0;
}

int vfio_device_reset(struct vfio_dev *d, bool *done, struct tl_error *e)
{
	struct vfio_device_info info = { .argsz = sizeof(info) };

	*done = false;
	if (need_device(d, e))
		return -1;
	if (ioctl(d->device_fd, VFIO_DEVICE_GET_INFO, &info))
		return tl_err_errno(e, "%s: VFIO_DEVICE_GET_INFO", d->addr);
	if (!(info.flags & VFIO_DEVICE_FLAGS_RESET))
		return 0;
	if (ioctl(d->device_fd, VFIO_DEVICE_RESET))
		return tl_err_errno(e, "%s: VFIO_DEVICE_RESET", d->addr);
	*done = true;
	return 0;
}
