/*
 * Lab test guest "sleeper": announces itself, then sleeps for an hour in
 * one call. `xl shutdown` and `xl reboot` must still reach it promptly
 * (the control thread is separate from main).
 */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
	printf("sleeper: up, sleeping for an hour\n");
	fflush(stdout);
	sleep(3600);
	printf("sleeper: woke up, which the test never lets happen\n");
	return 1;
}
