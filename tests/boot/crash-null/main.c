/*
 * Boot test crash-null (negative): a write through a NULL pointer must end
 * in the kernel's crash report, "SKIFF PANIC" followed by a backtrace whose
 * lines name crash_null. The runner checks the console and bootlab's exit
 * status 70; this program passing its last line means the fault was lost.
 */
#include <stdio.h>

/* Read through a volatile object so the compiler cannot see the NULL and
 * turn the store into a trap instruction of its own: the test wants a
 * real page fault at address 0. */
static int *volatile crash_target;

__attribute__((noinline)) void crash_null(void);

__attribute__((noinline)) void crash_null(void)
{
	int *p = crash_target;

	*p = 0x5c1ff;
	/* Keep the call a real call with a frame (no tail position). */
	asm volatile("" ::: "memory");
}

int main(void)
{
	printf("crash-null: writing through a NULL pointer\n");
	fflush(stdout);
	crash_null();
	printf("TEST FAIL crash-null: the NULL write did not fault\n");
	return 1;
}
