/*
 * Leaving the guest: SCHEDOP_shutdown with the reason xl (or, for dom0,
 * Xen itself) reports. Poweroff for exit status 0, crash otherwise, so
 * that a failing application is visible to the toolstack.
 */
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
	shutdown(SHUTDOWN_poweroff);
}

void kernel_reboot(void)
{
	log_info("rebooting");
	shutdown(SHUTDOWN_reboot);
}
