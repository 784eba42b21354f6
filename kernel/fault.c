/*
 * Fault reports. The first line always starts with "SKIFF PANIC " (the
 * boot lab's crash marker) and says what went wrong in words; the lines
 * after it give the detail someone needs without a debugger.
 */
#include <stdint.h>

#define LOG_TAG "fault"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/layout.h"
#include "kernel/backtrace.h"
#include "kernel/fault.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/sched.h"

#define PF_PRESENT 1
#define PF_WRITE 2
#define PF_FETCH 16

static void describe_page_fault(const struct trap_frame *f, uint64_t addr,
				const char *where)
{
	const char *access = (f->error_code & PF_FETCH)	  ? "instruction fetch"
			     : (f->error_code & PF_WRITE) ? "write"
							  : "read";
	const char *guard = sched_guard_owner(addr);

	if (addr < PAGE_SIZE)
		log_err("SKIFF PANIC page fault: NULL pointer dereference "
			"(%s of 0x%llx) in %s, thread '%s'",
			access, (unsigned long long)addr, where,
			sched_current_name());
	else if (guard)
		log_err("SKIFF PANIC page fault: stack overflow into the "
			"guard page of thread '%s' (%s of 0x%llx) in %s",
			guard, access, (unsigned long long)addr, where);
	else
		log_err("SKIFF PANIC page fault: %s of 0x%llx (%s) in %s, "
			"thread '%s'",
			access, (unsigned long long)addr,
			(f->error_code & PF_PRESENT) ? "protection violation"
						     : "not mapped",
			where, sched_current_name());
}

static void dump_registers(const struct trap_frame *f)
{
	log_err("rip %016llx rsp %016llx rflags %08llx error %llx",
		(unsigned long long)f->rip, (unsigned long long)f->rsp,
		(unsigned long long)f->rflags,
		(unsigned long long)f->error_code);
	log_err("rax %016llx rbx %016llx rcx %016llx rdx %016llx",
		(unsigned long long)f->rax, (unsigned long long)f->rbx,
		(unsigned long long)f->rcx, (unsigned long long)f->rdx);
	log_err("rsi %016llx rdi %016llx rbp %016llx r8  %016llx",
		(unsigned long long)f->rsi, (unsigned long long)f->rdi,
		(unsigned long long)f->rbp, (unsigned long long)f->r8);
	log_err("r9  %016llx r10 %016llx r11 %016llx r12 %016llx",
		(unsigned long long)f->r9, (unsigned long long)f->r10,
		(unsigned long long)f->r11, (unsigned long long)f->r12);
	log_err("r13 %016llx r14 %016llx r15 %016llx",
		(unsigned long long)f->r13, (unsigned long long)f->r14,
		(unsigned long long)f->r15);
}

void fault_handle(struct trap_frame *f, uint64_t fault_addr)
{
	char where[96];

	backtrace_symbolize(f->rip, where, sizeof(where));
	if (f->vector == 3) {
		log_warn("breakpoint at %s", where);
		return;
	}
	if (f->vector == 14)
		describe_page_fault(f, fault_addr, where);
	else if (f->vector == ARCH_VEC_STACK_OVERFLOW)
		log_err("SKIFF PANIC stack overflow in thread '%s': %s needs "
			"%llu bytes of stack below rsp 0x%llx, limit 0x%llx",
			sched_current_name(), where,
			(unsigned long long)f->error_code,
			(unsigned long long)f->rsp, (unsigned long long)f->rcx);
	else
		log_err("SKIFF PANIC %s (vector %llu) in %s, thread '%s'",
			traps_vector_name(f->vector),
			(unsigned long long)f->vector, where,
			sched_current_name());
	dump_registers(f);
	log_err("backtrace:");
	backtrace_print_fault(f->rip, f->rsp, f->rbp);
	kernel_crash();
}
