// SPDX-License-Identifier: GPL-2.0-only
/* Completion status decoding: SCT/SC names, DNR/More, phase tag ignored. */
#include <string.h>

#include "registers.h"
#include "status.h"
#include "ktap.h"

/* The status field with phase tag p. */
static uint16_t st(unsigned sct, unsigned sc, bool dnr, unsigned p)
{
	return (uint16_t)(p | sc << 1 | sct << 9 | (dnr ? 1u << 15 : 0));
}

int main(void)
{
	char buf[200];

	report(NVME_STATUS_OK(st(0, 0, false, 1)) && NVME_STATUS_OK(st(0, 0, false, 0)),
	       "success with either phase");
	report(!NVME_STATUS_OK(st(0, 0x80, false, 1)) && !NVME_STATUS_OK(st(2, 0, false, 0)),
	       "an SC or an SCT alone is an error");
	report(NVME_STATUS_SCT(st(2, 0x81, true, 1)) == 2 &&
		       NVME_STATUS_SC(st(2, 0x81, true, 1)) == 0x81 &&
		       NVME_STATUS_DNR(st(2, 0x81, true, 1)) && NVME_STATUS_P(st(2, 0x81, true, 1)),
	       "fields decode: SCT 2, SC 0x81, DNR, P");

	report(!strcmp(nvme_sc_name(0, 0x80), "LBA Out of Range"), "generic 0x80: LBA Out of Range");
	report(!strcmp(nvme_sc_name(0, 0x0b), "Invalid Namespace or Format"), "generic 0x0b");
	report(!strcmp(nvme_sc_name(0, 0x02), "Invalid Field in Command"), "generic 0x02");
	report(!strcmp(nvme_sc_name(0, 0x20), "Namespace is Write Protected"), "generic 0x20");
	report(!strcmp(nvme_sc_name(1, 0x01), "Invalid Queue Identifier"), "command specific 0x01");
	report(!strcmp(nvme_sc_name(1, 0x02), "Invalid Queue Size"), "command specific 0x02");
	report(!strcmp(nvme_sc_name(1, 0x82), "Attempted Write to Read Only Range"),
	       "command specific 0x82");
	report(!strcmp(nvme_sc_name(2, 0x81), "Unrecovered Read Error"), "media 0x81");
	report(!strcmp(nvme_sc_name(3, 0x71), "Command Aborted By Host"), "path 0x71");
	report(nvme_sc_name(0, 0x7f) == NULL && nvme_sc_name(7, 0x01) == NULL,
	       "unknown codes and vendor specific: no name");
	report(!strcmp(nvme_sct_name(1), "Command Specific Status") &&
		       !strcmp(nvme_sct_name(7), "Vendor Specific"),
	       "SCT names");

	nvme_status_format(st(0, 0x80, true, 1), buf, sizeof(buf));
	report(!strcmp(buf, "SCT 0x0 (Generic Command Status), SC 0x80 (LBA Out of Range), DNR"),
	       "formatted: %s", buf);
	nvme_status_format(st(2, 0x81, false, 0), buf, sizeof(buf));
	report(!strcmp(buf, "SCT 0x2 (Media and Data Integrity Errors), SC 0x81 (Unrecovered Read "
			    "Error)"),
	       "formatted: %s", buf);
	nvme_status_format(st(7, 0xc3, false, 1) | 1u << 14, buf, sizeof(buf));
	report(strstr(buf, "SC 0xc3 (unknown)") && strstr(buf, "Vendor Specific") &&
		       strstr(buf, "More"),
	       "vendor specific, unknown SC, More bit: %s", buf);
	report(!strcmp(nvme_io_opcode_name(NVME_CMD_READ), "Read") &&
		       !strcmp(nvme_io_opcode_name(NVME_CMD_FLUSH), "Flush") &&
		       !strcmp(nvme_admin_opcode_name(NVME_ADMIN_CREATE_CQ),
			       "Create I/O Completion Queue"),
	       "opcode names");
	return report_summary();
}
