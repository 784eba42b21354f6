/*
 * Lab test guest "console-flood": 1 MiB through the console ring, as
 * 16384 numbered lines of 64 bytes each, far faster than xenconsoled
 * drains it, so writers must wait for room. The job script checks that
 * every line arrived once, complete and in order.
 */
#include <stdio.h>

#include "kernel/console.h"

#define LINES 16384
#define LINE_LEN 64

int main(void)
{
	char line[LINE_LEN + 1];
	int i, j;

	for (i = 0; i < LINES; i++) {
		/* "flood 000123 " then a letter pattern that depends on i,
		 * so a line from elsewhere or a shifted line shows. */
		int n = snprintf(line, sizeof(line), "flood %06d ", i);

		for (j = n; j < LINE_LEN - 1; j++)
			line[j] = (char)('a' + (i + j) % 26);
		line[LINE_LEN - 1] = '\n';
		fwrite(line, 1, LINE_LEN, stdout);
	}
	fflush(stdout);
	printf("flood done: %d lines of %d bytes, ring was full %llu times\n",
	       LINES, LINE_LEN, (unsigned long long)console_full_waits());
	return 0;
}
