/*
 * The application's side of the main thread: the fd table, the drivers,
 * the random generator, the files, the boot-time line, then main(). Returning
 * from main() goes through newlib's exit(), so atexit handlers run and stdio is
 * flushed before the kernel powers the domain off.
 */
#include <stdint.h>
#include <stdlib.h>

#define LOG_TAG "boot"
#include "drivers/drivers.h"
#include "kernel/log.h"
#include "kernel/main.h"
#include "kernel/timer.h"
#include "lib/fd.h"
#include "lib/file_init.h"
#include "lib/mount.h"
#include "lib/random.h"

int main(int argc, char **argv);

int skiff_app_main(int argc, char **argv)
{
	uint64_t now = timer_now_ns();

	fd_init();
	drivers_init();
	random_init();
	file_init();
	mount_init();
	log_info("_start to main: %llu us",
		 (unsigned long long)(now - kernel_boot_start_ns()) / 1000);
	exit(main(argc, argv));
}
