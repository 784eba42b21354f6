/*
 * Lab test guest "reopen": the network comes up only on a later try. The
 * first DHCP attempt times out (no server yet), so the stack gives up and
 * netfront closes the device itself, leaving netback in Closed; the next
 * socket call must reopen it (the front end writes Initialising) and get
 * a lease once dom0 has started its DHCP server. Then it echoes TCP
 * connections, so dom0 can check the data path after the reopen; it keeps
 * serving (exiting would power off with echoed bytes still unsent) until
 * dom0 destroys it.
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define NAME "reopen"
#define ECHO_PORT 7
#define TRIES 60

static int listen_when_up(void)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_port = htons(ECHO_PORT) };
	int try, fd;

	for (try = 1; try <= TRIES; try++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd >= 0)
			break;
		printf("%s: try %d: network down (%s)\n", NAME, try,
		       strerror(errno));
		sleep(1);
	}
	if (fd < 0)
		return -1;
	printf("%s: network up after %d tries\n", NAME, try);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(fd, 1) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static long echo_one(int lfd)
{
	char buf[4096];
	long total = 0;
	ssize_t n;
	int fd = accept(lfd, NULL, NULL);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if (write(fd, buf, (size_t)n) != n) {
			total = -1;
			break;
		}
		total += n;
	}
	close(fd);
	return n < 0 ? -1 : total;
}

int main(void)
{
	int lfd = listen_when_up();
	long echoed;

	if (lfd < 0) {
		printf("TEST FAIL %s: the network never came up\n", NAME);
		return 1;
	}
	printf("%s: listening\n", NAME);
	for (;;) {
		echoed = echo_one(lfd);
		if (echoed > 0)
			printf("TEST PASS %s: reopened after its own close, "
			       "echoed %ld bytes\n",
			       NAME, echoed);
		else
			printf("%s: a connection failed\n", NAME);
	}
}
