/*
 * Leaving the guest: SCHEDOP_shutdown with the reason xl (or, for dom0,
 * Xen itself) reports. Poweroff for exit status 0, crash otherwise, so
 * that a failing application is visible to the toolstack. An orderly
 * exit first runs the hooks of kernel/shutdown.h (filesystems unmount
 * there); a crash does not.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>

#define LOG_TAG "kernel"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/hypercall.h"
#include "arch/x86_64/traps.h"
#include "kernel/console.h"
#include "kernel/fmt.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/shutdown.h"

static struct shutdown_state {
	void (*hooks[SHUTDOWN_MAX_HOOKS])(void);
	unsigned count;
	bool ran;
} shutdown_state;

int shutdown_hook_register(void (*fn)(void))
{
	struct shutdown_state *st = &shutdown_state;
	unsigned long irq = arch_irq_save();
	int rc = -ENOSPC;

	if (st->count < SHUTDOWN_MAX_HOOKS) {
		st->hooks[st->count++] = fn;
		rc = 0;
	}
	arch_irq_restore(irq);
	return rc;
}

/* Newest first, each once: a hook that exits again (or a second thread
 * exiting meanwhile) does not run them twice. */
static void run_hooks(void)
{
	struct shutdown_state *st = &shutdown_state;
	unsigned long irq = arch_irq_save();
	bool ran = st->ran;

	st->ran = true;
	arch_irq_restore(irq);
	if (ran)
		return;
	while (st->count)
		st->hooks[--st->count]();
}

static __attribute__((noreturn)) void shutdown(unsigned reason)
{
	struct sched_shutdown s = { .reason = reason };

	arch_irq_disable();
	for (;;) {
		long rc = hypercall_sched_op(SCHEDOP_shutdown, &s);

		/* Xen does not return from a successful shutdown. */
		log_err("SCHEDOP_shutdown failed (%ld)", rc);
		arch_crash();
	}
}

void kernel_exit(int status)
{
	char line[64];
	int n;

	run_hooks();
	n = fmt_snprintf(line, sizeof(line), "SKIFF EXIT status=%d\n", status);
	console_write(line, (unsigned long)n);
	shutdown(status == 0 ? SHUTDOWN_poweroff : SHUTDOWN_crash);
}

void kernel_crash(void)
{
	shutdown(SHUTDOWN_crash);
}

void kernel_poweroff(void)
{
	log_info("powering off");
	run_hooks();
	shutdown(SHUTDOWN_poweroff);
}

void kernel_reboot(void)
{
	log_info("rebooting");
	run_hooks();
	shutdown(SHUTDOWN_reboot);
}
