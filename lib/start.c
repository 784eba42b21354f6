/*
 * The application's side of the main thread: per-thread C library state,
 * the drivers, the boot-time line, then main(). Returning from main() goes
 * through newlib's exit(), so atexit handlers run and stdio is flushed before
 * the kernel powers the domain off.
 */
#include <reent.h>
#include <stdint.h>
#include <stdlib.h>

#define LOG_TAG "boot"
#include "drivers/drivers.h"
#include "kernel/log.h"
#include "kernel/main.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "lib/fd.h"

int main(int argc, char **argv);

/* Threads without their own newlib state share the global one. */
static void switch_libc_state(void *state)
{
	_impure_ptr = state ? state : _global_impure_ptr;
}

int skiff_app_main(int argc, char **argv)
{
	uint64_t now = timer_now_ns();

	sched_set_switch_hook(switch_libc_state);
	fd_init();
	drivers_init(kernel_boot_info());
	log_info("_start to main: %llu us",
		 (unsigned long long)(now - kernel_boot_start_ns()) / 1000);
	exit(main(argc, argv));
}
