/*
 * Lab test guest "resolve": the DNS client (lwIP's, through getaddrinfo)
 * against a DNS server in dom0 (netcheck dns-serve): argv[1] must resolve
 * to argv[2], and a name the server does not know must fail cleanly.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define NAME "resolve"

int main(int argc, char **argv)
{
	struct addrinfo hints = { .ai_family = AF_INET,
				  .ai_socktype = SOCK_STREAM },
			*res = NULL;
	char got[INET_ADDRSTRLEN] = "";
	int rc;

	if (argc != 3) {
		printf("TEST FAIL %s: usage: resolve NAME EXPECTED-ADDRESS\n",
		       NAME);
		return 1;
	}
	rc = getaddrinfo(argv[1], "80", &hints, &res);
	if (rc == 0 && res)
		inet_ntop(AF_INET,
			  &((struct sockaddr_in *)res->ai_addr)->sin_addr, got,
			  sizeof(got));
	printf("%s: %s -> %s (%s)\n", NAME, argv[1], got[0] ? got : "nothing",
	       gai_strerror(rc));
	if (res)
		freeaddrinfo(res);
	if (rc != 0 || strcmp(got, argv[2]) != 0) {
		printf("TEST FAIL %s: %s did not resolve to %s\n", NAME,
		       argv[1], argv[2]);
		return 1;
	}
	res = NULL;
	rc = getaddrinfo("no-such-name.test", "80", &hints, &res);
	printf("%s: no-such-name.test -> %s\n", NAME, gai_strerror(rc));
	if (rc == 0) {
		printf("TEST FAIL %s: an unknown name resolved\n", NAME);
		return 1;
	}
	printf("TEST PASS %s: %s resolved to %s through the DNS server; an "
	       "unknown name failed (%s)\n",
	       NAME, argv[1], got, gai_strerror(rc));
	return 0;
}
