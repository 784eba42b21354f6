/*
 * Status reports an operator can ask a running guest for: `xl sysrq <dom>
 * m` (drivers/control.c) logs every registered source's counters. The
 * kernel registers its own; each driver registers one per device while it
 * is open. Counters nobody could read would be dead weight; this is where
 * they are read.
 */
#ifndef KERNEL_REPORT_H
#define KERNEL_REPORT_H

struct report_source {
	const char *name;
	/* Log the counters (log_info); thread context, may not block for
	 * long. */
	void (*report)(void *arg);
	void *arg;
	struct report_source *next; /* the registry's */
};

/* Add or remove a source (its storage stays the caller's). Thread
 * context. */
void report_register(struct report_source *s);
void report_unregister(struct report_source *s);

/* Log every source's report, in registration order. Thread context. */
void report_all(void);

#endif
