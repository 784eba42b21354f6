/*
 * The boot sequence, from arch_start() to the application's main thread.
 *
 * Order matters: handlers for faults first (so everything after is
 * reported with symbols), then memory, events, the scheduler and timers,
 * and only then events on; the app runs in its own thread while this boot
 * context becomes the idle loop.
 */
#include <stdbool.h>
#include <stdint.h>

#define LOG_TAG "kernel"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pvclock.h"
#include "arch/x86_64/setup.h"
#include "arch/x86_64/traps.h"
#include "kernel/console.h"
#include "kernel/evtchn.h"
#include "kernel/fault.h"
#include "kernel/gnttab.h"
#include "kernel/log.h"
#include "kernel/main.h"
#include "kernel/page_alloc.h"
#include "kernel/panic.h"
#include "kernel/sched.h"
#include "kernel/timer.h"
#include "lib/cmdline.h"

#define MAX_ARGS 64
#define ARGS_BUF_SIZE 1024
#define APP_STACK_DEFAULT (256 * 1024)

static const char *const log_levels[] = { "err", "warn", "info", "debug",
					  NULL };

static struct kernel_state {
	const struct boot_info *boot_info;
	uint64_t boot_start_ns;
	unsigned log_level;
	uint64_t app_stack;
	char args_buf[ARGS_BUF_SIZE];
	char *argv[MAX_ARGS];
	int argc;
} ks = { .log_level = LOG_LEVEL, .app_stack = APP_STACK_DEFAULT };

CMDLINE_OPTION(opt_loglevel) = { .name = "loglevel",
				 .type = CMDLINE_ENUM,
				 .dest = &ks.log_level,
				 .choices = log_levels };
CMDLINE_OPTION(opt_stack) = { .name = "stack",
			      .type = CMDLINE_SIZE,
			      .dest = &ks.app_stack,
			      .max = 64 * 1024 * 1024 };

/* Every CMDLINE_OPTION() in the image (linker.ld). */
extern const struct cmdline_opt __start_skiff_cmdline[], __stop_skiff_cmdline[];

static const struct traps_handlers handlers = {
	.fault = fault_handle,
	.upcall = evtchn_upcall,
};

const struct boot_info *kernel_boot_info(void)
{
	return ks.boot_info;
}

uint64_t kernel_boot_start_ns(void)
{
	return ks.boot_start_ns;
}

static void report_option_error(void *ctx, const char *msg)
{
	(void)ctx;
	log_err("command line: %s", msg);
}

static void parse_cmdline(const char *line)
{
	/* argv[0] is the application's name; the rest follows "--". */
	struct cmdline_args args = {
		.buf = ks.args_buf,
		.buf_size = sizeof(ks.args_buf),
		.argv = ks.argv + 1,
		.max_argv = MAX_ARGS - 1,
	};

	/* Errors are reported by name and the rest still applies: a typo in
	 * one option should not stop a service from booting. */
	(void)cmdline_parse(
		line, __start_skiff_cmdline,
		(size_t)(__stop_skiff_cmdline - __start_skiff_cmdline), &args,
		report_option_error, NULL);
	ks.argv[0] = skiff_app_name;
	ks.argc = args.argc + 1;
	log_set_level((int)ks.log_level);
}

static void app_thread(void *arg)
{
	(void)arg;
	kernel_exit(skiff_app_main(ks.argc, ks.argv));
}

void kernel_main(const struct boot_info *bi)
{
	if (!bi->is_dom0)
		console_init_ring(bi->console_ring, bi->console_evtchn);
	traps_set_handlers(&handlers);
	ks.boot_info = bi;
	ks.boot_start_ns = pvclock_tsc_to_ns(bi->boot_tsc);
	log_info("Skiff on Xen, %s, %llu MiB", bi->is_dom0 ? "dom0" : "domU",
		 (unsigned long long)(bi->nr_pages >> 8));
	parse_cmdline(bi->cmdline);
	page_alloc_init(bi);
	evtchn_init();
	sched_init();
	timer_init();
	gnttab_init();
	console_init_events();
	arch_irq_enable();
	if (!thread_create("main", app_thread, NULL, ks.app_stack))
		panic("cannot create the main thread");
	sched_idle_loop();
}
