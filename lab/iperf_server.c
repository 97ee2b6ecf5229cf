// SPDX-License-Identifier: GPL-2.0-only
#include "iperf_server.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

#include "files.h"
#include "tcelab/strv.h"
#include "tcelab/error.h"

#define LISTEN_WAIT_MS 5000
#define STOP_GRACE_MS 2000

/* A port the kernel picks as free; iperf3 takes it a moment later. */
static int free_loopback_port(struct tl_error *e)
{
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(addr);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), port = -1;

	if (fd < 0)
		return tl_err_errno(e, "cannot pick a port for the iperf3 server");
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&addr, &len) == 0)
		port = ntohs(addr.sin_port);
	else
		tl_err_errno(e, "cannot pick a port for the iperf3 server");
	close(fd);
	return port;
}

/* Is something listening on 127.0.0.1:port? /proc/net/tcp says without
 * connecting, which iperf3 would take for a client. */
static bool loopback_listening(int port)
{
	FILE *f = fopen("/proc/net/tcp", "r");
	char line[256];
	unsigned int addr, lport, state;
	bool found = false;

	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		if (sscanf(line, " %*d: %8X:%4X %*8X:%*4X %2X", &addr, &lport, &state) == 3)
			found = lport == (unsigned int)port && state == 0x0A /* LISTEN */ &&
				(addr == 0 || addr == htonl(INADDR_LOOPBACK));
	fclose(f);
	return found;
}

int iperf_server_start(struct iperf_server *s, const char *iperf3, const char *log_path,
		       struct tl_error *e)
{
	struct strv argv = { 0 };
	int log_fd, ret;

	*s = (struct iperf_server){ 0 };
	s->port = free_loopback_port(e);
	if (s->port < 0)
		return -1;
	log_fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (log_fd < 0)
		return tl_err_errno(e, "cannot create %s", log_path);
	strv_push(&argv, iperf3);
	strv_push(&argv, "-s");
	strv_push(&argv, "-B");
	strv_push(&argv, "127.0.0.1");
	strv_push(&argv, "-p");
	strv_pushf(&argv, "%d", s->port);
	ret = child_start(&s->child, "iperf3 server", argv.v, log_fd, log_fd, e);
	close(log_fd);
	strv_free(&argv);
	if (ret)
		return ret;
	for (int waited = 0; !loopback_listening(s->port); waited += 50) {
		if (child_wait(&s->child, 50)) {
			struct strv tail = { 0 };

			file_tail(log_path, 1, &tail);
			tl_err(e, "iperf3 server on port %d exited at start: %s", s->port,
			       tail.n ? tail.v[0] : "(no output)");
			strv_free(&tail);
			return -1;
		}
		if (waited >= LISTEN_WAIT_MS) {
			iperf_server_stop(s);
			return tl_err(e, "iperf3 server not listening on port %d after %d s", s->port,
				      LISTEN_WAIT_MS / 1000);
		}
	}
	return 0;
}

void iperf_server_stop(struct iperf_server *s)
{
	child_stop(&s->child, STOP_GRACE_MS);
}
