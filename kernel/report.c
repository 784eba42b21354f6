/*
 * The report registry (see report.h); the kernel's own report comes first. The
 * list is short and changes rarely: a mutex keeps a device closing while
 * a report runs from freeing a source under it.
 */
#include <stddef.h>
#include <stdint.h>

#define LOG_TAG "report"
#include "kernel/console.h"
#include "kernel/evtchn.h"
#include "kernel/log.h"
#include "kernel/page_alloc.h"
#include "kernel/report.h"
#include "kernel/sched.h"
#include "kernel/sync.h"

static struct {
	struct mutex lock;
	struct report_source *head;
} reg;

void report_register(struct report_source *s)
{
	struct report_source **p;

	mutex_lock(&reg.lock);
	for (p = &reg.head; *p; p = &(*p)->next)
		;
	s->next = NULL;
	*p = s;
	mutex_unlock(&reg.lock);
}

void report_unregister(struct report_source *s)
{
	struct report_source **p;

	mutex_lock(&reg.lock);
	for (p = &reg.head; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	mutex_unlock(&reg.lock);
}

static void kernel_report(void)
{
	log_info("kernel: %llu threads, %llu preemptions, %llu upcalls, "
		 "%llu/%llu pages free, console %llu bytes written",
		 (unsigned long long)sched_thread_count(),
		 (unsigned long long)sched_preemptions(),
		 (unsigned long long)evtchn_upcall_count(),
		 (unsigned long long)page_alloc_free_pages(),
		 (unsigned long long)page_alloc_total_pages(),
		 (unsigned long long)console_bytes_written());
}

void report_all(void)
{
	struct report_source *s;

	kernel_report();
	mutex_lock(&reg.lock);
	for (s = reg.head; s; s = s->next)
		s->report(s->arg);
	mutex_unlock(&reg.lock);
}
