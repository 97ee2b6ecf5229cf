// SPDX-License-Identifier: GPL-2.0-only
#include "udp_peer.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "engines.h"
#include "files.h"
#include "plan.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"
#include "topology.h"

#ifndef TCELAB_BINARY_DIR
#error "TCELAB_BINARY_DIR must be set (lab/CMakeLists.txt does)"
#endif

#define PROGRAM "tcelab-udp-peer"
#define LISTEN_WAIT_MS 5000
#define STOP_GRACE_MS 2000

const struct plan_step *plan_udp_peer_step(const struct plan *plan)
{
	for (size_t i = 0; i < plan->nsteps; i++)
		if (plan->steps[i].engine->needs_udp_peer)
			return &plan->steps[i];
	return NULL;
}

int udp_peer_find(const struct plan *plan, char **path, struct tl_error *e)
{
	const struct plan_step *step = plan_udp_peer_step(plan);
	const char *built = TCELAB_BINARY_DIR "/bench/net/" PROGRAM;

	*path = NULL;
	if (!step)
		return 0;
	*path = path_is_file(built) && access(built, X_OK) == 0 ? xstrdup(built)
								: program_find(PROGRAM);
	if (!*path)
		return tl_err(e, "plan %s line %d: '%s' needs the UDP peer on the host, and %s is "
				 "neither at %s nor in PATH (build the tree: cmake --build)",
			      plan->path, step->line, step->name, PROGRAM, built);
	return 0;
}

/* A UDP port the kernel picks as free; the peer takes it a moment later. */
static int free_loopback_udp_port(struct tl_error *e)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), port = -1;

	if (fd < 0)
		return tl_err_errno(e, "cannot pick a port for the UDP peer");
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
		port = ntohs(addr.sin_port);
	else
		tl_err_errno(e, "cannot pick a port for the UDP peer");
	close(fd);
	return port;
}

/* Is a UDP socket bound to 127.0.0.1:port (or any address)? */
static bool loopback_bound(int port)
{
	FILE *f = fopen("/proc/net/udp", "r");
	char line[256];
	unsigned int addr, lport;
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, " %*d: %8X:%4X", &addr, &lport) == 2)
			found = lport == (unsigned int)port &&
				(addr == 0 || addr == htonl(INADDR_LOOPBACK));
	fclose(f);
	return found;
}

int udp_peer_start(struct udp_peer *p, const char *program, const char *log_path, int lifetime_s,
		   struct tl_error *e)
{
	struct strv argv = { 0 };
	int log_fd, ret, port;

	*p = (struct udp_peer){ 0 };
	port = free_loopback_udp_port(e);
	if (port < 0)
		return -1;
	log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (log_fd < 0)
		return tl_err_errno(e, "cannot create %s", log_path);
	strv_push(&argv, program);
	strv_push(&argv, "--bind");
	strv_push(&argv, "127.0.0.1");
	strv_push(&argv, "--port");
	strv_pushf(&argv, "%d", port);
	strv_push(&argv, "--lifetime");
	strv_pushf(&argv, "%d", lifetime_s);
	ret = child_start(&p->child, "UDP peer", argv.v, log_fd, log_fd, e);
	close(log_fd);
	strv_free(&argv);
	if (ret)
		return ret;
	for (int waited = 0; !loopback_bound(port); waited += 50) {
		if (child_wait(&p->child, 50)) {
			struct strv tail = { 0 };

			file_tail(log_path, 1, &tail);
			tl_err(e, "UDP peer on port %d exited at start: %s", port,
			       tail.n ? tail.v[0] : "(no output)");
			strv_free(&tail);
			return -1;
		}
		if (waited >= LISTEN_WAIT_MS) {
			udp_peer_stop(p);
			return tl_err(e, "UDP peer not bound to port %d after %d s", port,
				      LISTEN_WAIT_MS / 1000);
		}
	}
	p->port = port;
	return 0;
}

int udp_peer_share_env(const char *share_dir, const struct udp_peer *p, struct tl_error *e)
{
	char *path = xasprintf("%s/env", share_dir);
	FILE *f = fopen(path, "a");
	int ret = 0;

	if (!f || fprintf(f, "TCELAB_UDP_PEER=%s\nTCELAB_UDP_PEER_PORT=%d\n", LAB_HOST_FROM_GUEST,
			  p->port) < 0)
		ret = tl_err_errno(e, "cannot add the UDP peer to %s", path);
	if (f && fclose(f) && !ret)
		ret = tl_err_errno(e, "cannot add the UDP peer to %s", path);
	free(path);
	return ret;
}

void udp_peer_stop(struct udp_peer *p)
{
	child_stop(&p->child, STOP_GRACE_MS);
}
