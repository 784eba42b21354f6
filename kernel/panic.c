/*
 * panic(): one line with the reason, a backtrace, then a crash.
 */
#include <stdarg.h>
#include <stdint.h>
#include <string.h>

#define LOG_TAG "panic"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/traps.h"
#include "kernel/backtrace.h"
#include "kernel/console.h"
#include "kernel/fmt.h"
#include "kernel/log.h"
#include "kernel/panic.h"

void panic(const char *fmt, ...)
{
	static int in_panic;
	char msg[200];
	uint64_t *fp;
	va_list ap;
	int n;

	arch_irq_disable();
	if (in_panic++)
		arch_crash();
	n = fmt_snprintf(msg, sizeof(msg), "SKIFF PANIC ");
	va_start(ap, fmt);
	fmt_vsnprintf(msg + n, sizeof(msg) - (unsigned)n, fmt, ap);
	va_end(ap);
	console_write(msg, strlen(msg));
	console_write("\n", 1);
	log_err("backtrace:");
	/* Start at our caller: frame[1] is the return address into it and
	 * frame[0] its frame pointer. */
	fp = __builtin_frame_address(0);
	backtrace_print(fp[1], fp[0]);
	kernel_crash();
}
