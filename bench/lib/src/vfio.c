// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vfio.h>

#include "tcelab/error.h"
#include "tcelab/pci.h"
#include "tcelab/vfio.h"

static const char *const iommu_names[] = {
	[VFIO_IOMMU_AUTO] = "auto",
	[VFIO_IOMMU_SPAPR_V1] = "spapr-v1",
	[VFIO_IOMMU_SPAPR_V2] = "spapr-v2",
	[VFIO_IOMMU_TYPE1] = "type1",
};

const char *vfio_iommu_name(enum vfio_iommu iommu)
{
	return iommu_names[iommu];
}

int vfio_iommu_parse(const char *name, enum vfio_iommu *iommu, struct tl_error *e)
{
	for (size_t i = 0; i < sizeof(iommu_names) / sizeof(iommu_names[0]); i++) {
		if (!strcmp(name, iommu_names[i])) {
			*iommu = (enum vfio_iommu)i;
			return 0;
		}
	}
	return tl_err(e, "unknown IOMMU '%s' (known: auto, spapr-v1, spapr-v2, type1)", name);
}

/* The VFIO_SET_IOMMU value for a backend; type1 prefers v2 semantics. */
static int pick_iommu_type(struct vfio_dev *d, enum vfio_iommu want, unsigned long *type,
			   struct tl_error *e)
{
	static const struct {
		enum vfio_iommu iommu;
		unsigned long type;
	} order[] = {
		{ VFIO_IOMMU_SPAPR_V2, VFIO_SPAPR_TCE_v2_IOMMU },
		{ VFIO_IOMMU_SPAPR_V1, VFIO_SPAPR_TCE_IOMMU },
		{ VFIO_IOMMU_TYPE1, VFIO_TYPE1v2_IOMMU },
		{ VFIO_IOMMU_TYPE1, VFIO_TYPE1_IOMMU },
	};

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		if (want != VFIO_IOMMU_AUTO && want != order[i].iommu)
			continue;
		if (ioctl(d->container_fd, VFIO_CHECK_EXTENSION, order[i].type) == 1) {
			d->iommu = order[i].iommu;
			*type = order[i].type;
			return 0;
		}
	}
	return tl_err(e, "%s: this kernel's VFIO does not offer the %s IOMMU", d->addr,
		      vfio_iommu_name(want));
}

static int spapr_info(struct vfio_dev *d, struct tl_error *e)
{
	struct vfio_iommu_spapr_tce_info info = { .argsz = sizeof(info) };

	if (ioctl(d->container_fd, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &info))
		return tl_err_errno(e, "%s: VFIO_IOMMU_SPAPR_TCE_GET_INFO", d->addr);
	d->dma32.start = info.dma32_window_start;
	d->dma32.size = info.dma32_window_size;
	d->dma32.page_shift = 12; /* the default window uses 4 KiB IOMMU pages */
	if (info.flags & VFIO_IOMMU_SPAPR_INFO_DDW) {
		d->ddw_page_sizes = info.ddw.pgsizes;
		d->ddw_max_windows = info.ddw.max_dynamic_windows_supported;
		d->ddw_levels = info.ddw.levels;
	}
	return 0;
}

int vfio_open(struct vfio_dev *d, const char *addr, enum vfio_iommu iommu, bool open_device,
	      struct tl_error *e)
{
	struct vfio_group_status status = { .argsz = sizeof(status) };
	char path[64];
	unsigned long type = 0;

	memset(d, 0, sizeof(*d));
	d->container_fd = d->group_fd = d->device_fd = -1;
	if (pci_addr_parse(addr, d->addr, e) || pci_iommu_group("/sys", d->addr, &d->group_id, e))
		return -1;

	d->container_fd = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (d->container_fd < 0) {
		tl_err_errno(e, "/dev/vfio/vfio (is the vfio module loaded?)");
		goto fail;
	}
	if (ioctl(d->container_fd, VFIO_GET_API_VERSION) != VFIO_API_VERSION) {
		tl_err(e, "/dev/vfio/vfio: unknown VFIO API version");
		goto fail;
	}
	snprintf(path, sizeof(path), "/dev/vfio/%d", d->group_id);
	d->group_fd = open(path, O_RDWR | O_CLOEXEC);
	if (d->group_fd < 0) {
		tl_err_errno(e, "%s: %s (is the device bound to vfio-pci?)", d->addr, path);
		goto fail;
	}
	if (ioctl(d->group_fd, VFIO_GROUP_GET_STATUS, &status)) {
		tl_err_errno(e, "%s: VFIO_GROUP_GET_STATUS", path);
		goto fail;
	}
	if (!(status.flags & VFIO_GROUP_FLAGS_VIABLE)) {
		if (pci_group_viable("/sys", d->addr, e) == 0)
			tl_err(e, "%s: IOMMU group %d is not viable", d->addr, d->group_id);
		goto fail;
	}
	if (ioctl(d->group_fd, VFIO_GROUP_SET_CONTAINER, &d->container_fd)) {
		tl_err_errno(e, "%s: VFIO_GROUP_SET_CONTAINER", path);
		goto fail;
	}
	if (pick_iommu_type(d, iommu, &type, e))
		goto fail;
	if (ioctl(d->container_fd, VFIO_SET_IOMMU, type)) {
		tl_err_errno(e, "%s: VFIO_SET_IOMMU %s", d->addr, vfio_iommu_name(d->iommu));
		goto fail;
	}
	if (d->iommu == VFIO_IOMMU_SPAPR_V1 || d->iommu == VFIO_IOMMU_SPAPR_V2) {
		if (spapr_info(d, e))
			goto fail;
	}
	/* v1 only: v2 accounts memory at pre-registration instead */
	if (d->iommu == VFIO_IOMMU_SPAPR_V1) {
		if (ioctl(d->container_fd, VFIO_IOMMU_ENABLE)) {
			tl_err_errno(e, "%s: VFIO_IOMMU_ENABLE (RLIMIT_MEMLOCK too low?)", d->addr);
			goto fail;
		}
		d->spapr_enabled = true;
	}
	if (open_device) {
		d->device_fd = ioctl(d->group_fd, VFIO_GROUP_GET_DEVICE_FD, d->addr);
		if (d->device_fd < 0) {
			tl_err_errno(e, "%s: VFIO_GROUP_GET_DEVICE_FD", d->addr);
			goto fail;
		}
	}
	return 0;
fail:
	vfio_close(d);
	return -1;
}

void vfio_close(struct vfio_dev *d)
{
	if (d->device_fd >= 0)
		close(d->device_fd);
	if (d->spapr_enabled)
		ioctl(d->container_fd, VFIO_IOMMU_DISABLE);
	if (d->group_fd >= 0)
		close(d->group_fd); /* drops the group from the container */
	if (d->container_fd >= 0)
		close(d->container_fd);
	d->device_fd = d->group_fd = d->container_fd = -1;
	d->spapr_enabled = false;
}

int vfio_dma_map(struct vfio_dev *d, void *vaddr, uint64_t iova, uint64_t size,
		 struct tl_error *e)
{
	struct vfio_iommu_type1_dma_map map = {
		.argsz = sizeof(map),
		.flags = VFIO_DMA_MAP_FLAG_READ | VFIO_DMA_MAP_FLAG_WRITE,
		.vaddr = (uintptr_t)vaddr,
		.iova = iova,
		.size = size,
	};

	if (ioctl(d->container_fd, VFIO_IOMMU_MAP_DMA, &map))
		return tl_err_errno(e, "%s: VFIO_IOMMU_MAP_DMA iova 0x%llx size 0x%llx", d->addr,
				    (unsigned long long)iova, (unsigned long long)size);
	return 0;
}

int vfio_dma_unmap(struct vfio_dev *d, uint64_t iova, uint64_t size, struct tl_error *e)
{
	struct vfio_iommu_type1_dma_unmap unmap = {
		.argsz = sizeof(unmap),
		.iova = iova,
		.size = size,
	};

	if (ioctl(d->container_fd, VFIO_IOMMU_UNMAP_DMA, &unmap))
		return tl_err_errno(e, "%s: VFIO_IOMMU_UNMAP_DMA iova 0x%llx size 0x%llx", d->addr,
				    (unsigned long long)iova, (unsigned long long)size);
	return 0;
}

static int spapr_memory(struct vfio_dev *d, unsigned long cmd, void *vaddr, uint64_t size,
			struct tl_error *e)
{
	struct vfio_iommu_spapr_register_memory reg = {
		.argsz = sizeof(reg),
		.vaddr = (uintptr_t)vaddr,
		.size = size,
	};

	if (d->iommu != VFIO_IOMMU_SPAPR_V2)
		return tl_err(e, "%s: memory pre-registration needs the spapr-v2 IOMMU", d->addr);
	if (ioctl(d->container_fd, cmd, &reg))
		return tl_err_errno(e, "%s: VFIO_IOMMU_SPAPR_%sREGISTER_MEMORY size 0x%llx%s",
				    d->addr, cmd == VFIO_IOMMU_SPAPR_REGISTER_MEMORY ? "" : "UN",
				    (unsigned long long)size,
				    errno == ENOMEM ? " (RLIMIT_MEMLOCK too low?)" : "");
	return 0;
}

int vfio_spapr_register(struct vfio_dev *d, void *vaddr, uint64_t size, struct tl_error *e)
{
	return spapr_memory(d, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, vaddr, size, e);
}

int vfio_spapr_unregister(struct vfio_dev *d, void *vaddr, uint64_t size, struct tl_error *e)
{
	return spapr_memory(d, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, vaddr, size, e);
}

int vfio_spapr_window_create(struct vfio_dev *d, unsigned page_shift, uint64_t size,
			     unsigned levels, uint64_t *start, struct tl_error *e)
{
	struct vfio_iommu_spapr_tce_create create = {
		.argsz = sizeof(create),
		.page_shift = page_shift,
		.window_size = size,
		.levels = levels ? levels : 1,
	};

	if (d->iommu != VFIO_IOMMU_SPAPR_V2)
		return tl_err(e, "%s: creating DMA windows needs the spapr-v2 IOMMU", d->addr);
	if (page_shift >= 64 || !(d->ddw_page_sizes & (1ull << page_shift)))
		return tl_err(e, "%s: IOMMU page size 2^%u is not allowed (allowed mask 0x%llx)",
			      d->addr, page_shift, (unsigned long long)d->ddw_page_sizes);
	if (ioctl(d->container_fd, VFIO_IOMMU_SPAPR_TCE_CREATE, &create))
		return tl_err_errno(e, "%s: VFIO_IOMMU_SPAPR_TCE_CREATE page 2^%u size 0x%llx "
				       "levels %u", d->addr, page_shift,
				    (unsigned long long)size, create.levels);
	*start = create.start_addr;
	return 0;
}

int vfio_spapr_window_remove(struct vfio_dev *d, uint64_t start, struct tl_error *e)
{
	struct vfio_iommu_spapr_tce_remove remove = {
		.argsz = sizeof(remove),
		.start_addr = start,
	};

	if (ioctl(d->container_fd, VFIO_IOMMU_SPAPR_TCE_REMOVE, &remove))
		return tl_err_errno(e, "%s: VFIO_IOMMU_SPAPR_TCE_REMOVE start 0x%llx", d->addr,
				    (unsigned long long)start);
	return 0;
}
