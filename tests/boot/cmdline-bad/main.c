/*
 * Boot test cmdline-bad: booted with "bogus_option=1 -- a b". The kernel
 * must name the unknown option in an error line and boot on (the runner
 * checks that line); here the application checks it got exactly the
 * arguments after "--".
 */
#include <stdio.h>
#include <string.h>

#define NAME "cmdline-bad"

int main(int argc, char **argv)
{
	int i;

	printf(NAME ": argc=%d\n", argc);
	for (i = 0; i < argc; i++)
		printf(NAME ": argv[%d]=\"%s\"\n", i,
		       argv[i] ? argv[i] : "(null)");
	if (argc != 3 || !argv[1] || !argv[2] || strcmp(argv[1], "a") != 0 ||
	    strcmp(argv[2], "b") != 0 || argv[3] != NULL) {
		printf("TEST FAIL " NAME ": expected argc=3 with argv[1]=\"a\" "
		       "argv[2]=\"b\" argv[3]=NULL, got argc=%d\n",
		       argc);
		return 1;
	}
	printf("TEST PASS " NAME ": argc=3, argv[1]=\"a\", argv[2]=\"b\", "
	       "argv[0]=\"%s\"\n",
	       argv[0] ? argv[0] : "(null)");
	return 0;
}
