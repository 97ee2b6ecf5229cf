/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Completion status (SCT/SC) to words, for error messages that say what
 * the controller said: "SCT 0x0 Generic Command Status / SC 0x80 LBA Out
 * of Range (DNR)".
 */
#ifndef NVME_STATUS_H
#define NVME_STATUS_H

#include <stddef.h>
#include <stdint.h>

/* Name of a status code type (0..7). */
const char *nvme_sct_name(unsigned sct);

/* Name of a status code within its type, or NULL when not one we know. */
const char *nvme_sc_name(unsigned sct, unsigned sc);

/* The whole status field of a CQE (phase tag in bit 0, ignored), as
 * "SCT 0x0 (Generic Command Status), SC 0x02 (Invalid Field in Command), DNR". */
const char *nvme_status_format(uint16_t status, char *buf, size_t len);

/* Admin / NVM opcode names for messages ("Create I/O SQ", "Read"). */
const char *nvme_admin_opcode_name(uint8_t opc);
const char *nvme_io_opcode_name(uint8_t opc);

#endif
