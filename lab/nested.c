// SPDX-License-Identifier: GPL-2.0-only
#include "nested.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "files.h"
#include "options.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"
#include "tcelab/json.h"
#include "tcelab/json_writer.h"

static const char *const l2_files[] = { "vmlinux", "guest.cpio.gz", "manifest.txt" };
static const char *const module_files[] = { "kvm.ko", "kvm-hv.ko", "manifest.txt" };

static int need_file(const char *dir, const char *name, const char *what, struct tl_error *e)
{
	char *path = xasprintf("%s/%s", dir, name);
	bool ok = path_is_file(path);

	free(path);
	return ok ? 0 : tl_err(e, "%s %s: no %s", what, dir, name);
}

int nested_check(const struct lab_options *o, struct tl_error *e)
{
	if (need_file(o->host_image, "vmlinux", "--host-image", e) ||
	    need_file(o->host_image, "host.cpio.zst", "--host-image", e))
		return tl_err_wrap(e, "the L1 host image (guest-images/build-host-image --out %s)",
				   o->host_image);
	if (need_file(o->image, "vmlinux", "--image", e) ||
	    need_file(o->image, "guest.cpio.gz", "--image", e))
		return tl_err_wrap(e, "the L2 guest image");
	if (o->modules && (need_file(o->modules, "kvm.ko", "--modules", e) ||
			   need_file(o->modules, "kvm-hv.ko", "--modules", e)))
		return tl_err_wrap(e, "patched modules (kernel/build-modules --out DIR)");
	return 0;
}

/* A hard link costs nothing; across file systems, copy. */
static int link_or_copy(const char *src, const char *dst, struct tl_error *e)
{
	if (link(src, dst) == 0)
		return 0;
	if (errno != EXDEV && errno != EPERM && errno != EMLINK)
		return tl_err_errno(e, "cannot link %s to %s", src, dst);
	return file_copy(src, dst, e);
}

static int fill(const char *dir, const char *sub, const char *src_dir, const char *const *names,
		size_t n, struct tl_error *e)
{
	char *to = xasprintf("%s/%s", dir, sub);
	int ret = 0;

	if (mkdir(to, 0755) != 0 && errno != EEXIST)
		ret = tl_err_errno(e, "cannot create %s", to);
	for (size_t i = 0; i < n && ret == 0; i++) {
		char *src = xasprintf("%s/%s", src_dir, names[i]);
		char *dst = xasprintf("%s/%s", to, names[i]);

		/* manifest.txt is optional: only what describes the files */
		if (path_is_file(src) || strcmp(names[i], "manifest.txt") != 0)
			ret = link_or_copy(src, dst, e);
		free(src);
		free(dst);
	}
	free(to);
	return ret;
}

int nested_host_share(const char *dir, const struct lab_options *o, struct tl_error *e)
{
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		return tl_err_errno(e, "cannot create %s", dir);
	if (fill(dir, "l2", o->image, l2_files, 3, e))
		return -1;
	if (o->modules && fill(dir, "modules", o->modules, module_files, 3, e))
		return -1;
	return 0;
}

void nested_env_lines(const struct lab_options *o, struct strv *lines)
{
	strv_pushf(lines, "TCELAB_L2_TCE_SWITCH=%s", o->tce_switch);
	strv_pushf(lines, "TCELAB_L2_QEMU_TRACE=%s", o->proof);
	for (int i = 0; i < o->nl2_env; i++)
		strv_push(lines, o->l2_env[i]);
}

void nested_proof_read(const char *out_dir, const char *mode, struct nested_proof *np)
{
	char *path = xasprintf("%s/tce-proof.json", out_dir);
	struct json_value *doc;
	struct tl_error e;
	const char *said;

	*np = (struct nested_proof){ 0 };
	if (!path_is_file(path)) {
		snprintf(np->error, sizeof(np->error), "no TCE path proof from L1 (out/tce-proof.json)");
		free(path);
		return;
	}
	doc = json_parse_file(path, &e);
	free(path);
	if (!doc || proof_from_json(&np->proof, doc, &e)) {
		snprintf(np->error, sizeof(np->error), "unreadable TCE path proof: %s", e.msg);
		json_free(doc);
		return;
	}
	said = json_path_string(doc, "verdict.status");
	np->present = true;
	proof_judge(&np->proof, &np->verdict);
	if (strcmp(proof_mode_name(np->proof.mode), mode) != 0) {
		np->verdict.pass = false;
		snprintf(np->error, sizeof(np->error), "L1 judged mode %s, the run asked for %s",
			 proof_mode_name(np->proof.mode), mode);
	} else if (said && (strcmp(said, "pass") == 0) != np->verdict.pass) {
		/* The same code judged the same counts: a mismatch is a bug. */
		snprintf(np->error, sizeof(np->error), "L1's verdict (%s) differs from the runner's", said);
	}
	json_free(doc);
}

void nested_judge(const struct nested_proof *np, const char *mode, char *failure, size_t len)
{
	const char *why = NULL;

	if (failure[0])
		return;
	if (!np->present) {
		snprintf(failure, len, "%s", np->error);
		return;
	}
	if (np->verdict.pass && !np->error[0])
		return;
	for (size_t i = 0; i < np->verdict.nnotes && !why; i++)
		if (strncmp(np->verdict.notes[i], "FAIL: ", 6) == 0)
			why = np->verdict.notes[i] + 6;
	snprintf(failure, len, "TCE path proof contradicts --tce-mode %s: %s", mode,
		 why ? why : np->error);
}

void nested_record(struct json_writer *w, const struct lab_options *o,
		   const struct nested_proof *np)
{
	jw_object_begin(w, "nested");
	jw_string(w, "tce_mode", o->tce_mode);
	jw_string(w, "tce_switch", o->tce_switch);
	jw_string(w, "modules", o->modules);
	jw_string(w, "proof_level", o->proof);
	jw_string(w, "host_image", o->host_image);
	{
		char *path = xasprintf("%s/host.cpio.zst.sha256", o->host_image);
		char *sha = file_first_word(path);

		jw_string(w, "host_image_sha256", sha);
		free(sha);
		free(path);
	}
	jw_string(w, "l2_image", o->image);
	jw_array_begin(w, "l2_env");
	for (int i = 0; i < o->nl2_env; i++)
		jw_string(w, NULL, o->l2_env[i]);
	jw_array_end(w);
	jw_object_begin(w, "proof");
	jw_bool(w, "present", np->present);
	jw_string(w, "error", np->error[0] ? np->error : NULL);
	if (np->present) {
		jw_string(w, "status", np->verdict.pass && !np->error[0] ? "pass" : "fail");
		jw_string(w, "source", np->verdict.source);
		jw_uint(w, "total_calls", np->verdict.total_calls);
		jw_uint(w, "user_calls", np->verdict.user_calls);
		jw_array_begin(w, "checks");
		for (size_t i = 0; i < np->verdict.nnotes; i++)
			jw_string(w, NULL, np->verdict.notes[i]);
		jw_array_end(w);
	}
	jw_object_end(w);
	jw_object_end(w);
}
