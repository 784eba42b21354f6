/*
 * panic(), ASSERT(), and the two ways out of the guest: kernel_exit() for
 * an application's exit status and kernel_crash() after a report.
 */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

/* Print "SKIFF PANIC <message>" and a backtrace, then crash the domain.
 * Any context. A panic inside a panic stops at once. */
__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt,
							   ...);

#define ASSERT(cond)                                                   \
	do {                                                           \
		if (!(cond))                                           \
			panic("assertion '%s' failed at %s:%d", #cond, \
			      __FILE__, __LINE__);                     \
	} while (0)

/* Print "SKIFF EXIT status=<status>" and power the domain off; a non-zero
 * status is reported to Xen (and so to xl) as a crash. */
__attribute__((noreturn)) void kernel_exit(int status);

/* Shut the domain down as crashed, without a further message. */
__attribute__((noreturn)) void kernel_crash(void);

/* Power off or reboot at the toolstack's request (xl shutdown/reboot),
 * after saying so on the console. */
__attribute__((noreturn)) void kernel_poweroff(void);
__attribute__((noreturn)) void kernel_reboot(void);

#endif
