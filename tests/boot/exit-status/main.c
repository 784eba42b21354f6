/*
 * Boot test exit-status: exit(3) must reach the console as
 * "SKIFF EXIT status=3" and bootlab's exit status as 3 (the runner checks
 * both). Nothing after exit() may run.
 */
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
	printf("exit-status: calling exit(3)\n");
	exit(3);
}
