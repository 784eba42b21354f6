/*
 * hello: the smallest Skiff application. Prints through newlib's stdio,
 * sleeps 100 ms and reports how long the sleep really took.
 */
#include <stdio.h>
#include <time.h>

static double seconds(const struct timespec *t)
{
	return (double)t->tv_sec + (double)t->tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct timespec before, after, nap = { 0, 100 * 1000 * 1000 };

	(void)argc;
	printf("hello from Skiff (%s)\n", argv[0]);
	clock_gettime(CLOCK_MONOTONIC, &before);
	if (nanosleep(&nap, NULL) != 0) {
		perror("nanosleep");
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &after);
	printf("slept 100 ms: %.3f ms measured\n",
	       (seconds(&after) - seconds(&before)) * 1e3);
	return 0;
}
