// SPDX-License-Identifier: GPL-2.0-only
/* Names from the NVM Express Base Specification 2.0, figures 100-105,
 * and the NVM Command Set Specification (the 0x80+ codes). */
#include <stdio.h>

#include "registers.h"
#include "status.h"

struct code_name {
	uint8_t code;
	const char *name;
};

static const struct code_name generic[] = {
	{ 0x00, "Successful Completion" },
	{ 0x01, "Invalid Command Opcode" },
	{ 0x02, "Invalid Field in Command" },
	{ 0x03, "Command ID Conflict" },
	{ 0x04, "Data Transfer Error" },
	{ 0x05, "Commands Aborted due to Power Loss Notification" },
	{ 0x06, "Internal Error" },
	{ 0x07, "Command Abort Requested" },
	{ 0x08, "Command Aborted due to SQ Deletion" },
	{ 0x09, "Command Aborted due to Failed Fused Command" },
	{ 0x0a, "Command Aborted due to Missing Fused Command" },
	{ 0x0b, "Invalid Namespace or Format" },
	{ 0x0c, "Command Sequence Error" },
	{ 0x0d, "Invalid SGL Segment Descriptor" },
	{ 0x0e, "Invalid Number of SGL Descriptors" },
	{ 0x0f, "Data SGL Length Invalid" },
	{ 0x10, "Metadata SGL Length Invalid" },
	{ 0x11, "SGL Descriptor Type Invalid" },
	{ 0x12, "Invalid Use of Controller Memory Buffer" },
	{ 0x13, "PRP Offset Invalid" },
	{ 0x14, "Atomic Write Unit Exceeded" },
	{ 0x15, "Operation Denied" },
	{ 0x16, "SGL Offset Invalid" },
	{ 0x18, "Host Identifier Inconsistent Format" },
	{ 0x19, "Keep Alive Timer Expired" },
	{ 0x1a, "Keep Alive Timeout Invalid" },
	{ 0x1b, "Command Aborted due to Preempt and Abort" },
	{ 0x1c, "Sanitize Failed" },
	{ 0x1d, "Sanitize In Progress" },
	{ 0x1e, "SGL Data Block Granularity Invalid" },
	{ 0x1f, "Command Not Supported for Queue in CMB" },
	{ 0x20, "Namespace is Write Protected" },
	{ 0x21, "Command Interrupted" },
	{ 0x22, "Transient Transport Error" },
	{ 0x80, "LBA Out of Range" },
	{ 0x81, "Capacity Exceeded" },
	{ 0x82, "Namespace Not Ready" },
	{ 0x83, "Reservation Conflict" },
	{ 0x84, "Format In Progress" },
};

static const struct code_name command_specific[] = {
	{ 0x00, "Completion Queue Invalid" },
	{ 0x01, "Invalid Queue Identifier" },
	{ 0x02, "Invalid Queue Size" },
	{ 0x03, "Abort Command Limit Exceeded" },
	{ 0x05, "Asynchronous Event Request Limit Exceeded" },
	{ 0x06, "Invalid Firmware Slot" },
	{ 0x07, "Invalid Firmware Image" },
	{ 0x08, "Invalid Interrupt Vector" },
	{ 0x09, "Invalid Log Page" },
	{ 0x0a, "Invalid Format" },
	{ 0x0b, "Firmware Activation Requires Conventional Reset" },
	{ 0x0c, "Invalid Queue Deletion" },
	{ 0x0d, "Feature Identifier Not Saveable" },
	{ 0x0e, "Feature Not Changeable" },
	{ 0x0f, "Feature Not Namespace Specific" },
	{ 0x80, "Conflicting Attributes" },
	{ 0x81, "Invalid Protection Information" },
	{ 0x82, "Attempted Write to Read Only Range" },
};

static const struct code_name media[] = {
	{ 0x80, "Write Fault" },
	{ 0x81, "Unrecovered Read Error" },
	{ 0x82, "End-to-end Guard Check Error" },
	{ 0x83, "End-to-end Application Tag Check Error" },
	{ 0x84, "End-to-end Reference Tag Check Error" },
	{ 0x85, "Compare Failure" },
	{ 0x86, "Access Denied" },
	{ 0x87, "Deallocated or Unwritten Logical Block" },
};

static const struct code_name path[] = {
	{ 0x00, "Internal Path Error" },
	{ 0x01, "Asymmetric Access Persistent Loss" },
	{ 0x02, "Asymmetric Access Inaccessible" },
	{ 0x03, "Asymmetric Access Transition" },
	{ 0x60, "Controller Pathing Error" },
	{ 0x70, "Host Pathing Error" },
	{ 0x71, "Command Aborted By Host" },
};

#define TABLE(t) { t, sizeof(t) / sizeof(t[0]) }

static const struct {
	const struct code_name *codes;
	size_t n;
} tables[8] = {
	[0] = TABLE(generic),
	[1] = TABLE(command_specific),
	[2] = TABLE(media),
	[3] = TABLE(path),
};

const char *nvme_sct_name(unsigned sct)
{
	static const char *const names[8] = {
		"Generic Command Status", "Command Specific Status", "Media and Data Integrity Errors",
		"Path Related Status",    "reserved SCT 4",          "reserved SCT 5",
		"reserved SCT 6",         "Vendor Specific",
	};

	return names[sct & 7];
}

const char *nvme_sc_name(unsigned sct, unsigned sc)
{
	const struct code_name *t = tables[sct & 7].codes;

	for (size_t i = 0; t && i < tables[sct & 7].n; i++)
		if (t[i].code == sc)
			return t[i].name;
	return NULL;
}

const char *nvme_status_format(uint16_t status, char *buf, size_t len)
{
	unsigned sct = NVME_STATUS_SCT(status), sc = NVME_STATUS_SC(status);
	const char *name = nvme_sc_name(sct, sc);

	snprintf(buf, len, "SCT 0x%x (%s), SC 0x%02x (%s)%s%s", sct, nvme_sct_name(sct), sc,
		 name ? name : "unknown", NVME_STATUS_DNR(status) ? ", DNR" : "",
		 NVME_STATUS_M(status) ? ", More" : "");
	return buf;
}

const char *nvme_admin_opcode_name(uint8_t opc)
{
	switch (opc) {
	case NVME_ADMIN_DELETE_SQ: return "Delete I/O Submission Queue";
	case NVME_ADMIN_CREATE_SQ: return "Create I/O Submission Queue";
	case NVME_ADMIN_DELETE_CQ: return "Delete I/O Completion Queue";
	case NVME_ADMIN_CREATE_CQ: return "Create I/O Completion Queue";
	case NVME_ADMIN_IDENTIFY: return "Identify";
	case NVME_ADMIN_SET_FEATURES: return "Set Features";
	default: return "admin command";
	}
}

const char *nvme_io_opcode_name(uint8_t opc)
{
	switch (opc) {
	case NVME_CMD_FLUSH: return "Flush";
	case NVME_CMD_WRITE: return "Write";
	case NVME_CMD_READ: return "Read";
	default: return "I/O command";
	}
}
