/*
 * Trap table, callbacks and the dispatch from traps_entry.S.
 *
 * Policy (what to print, whom to wake) lives in the kernel handlers
 * installed with traps_set_handlers(); this file only gets the CPU there.
 */
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>

#include "arch/x86_64/hypercall.h"
#include "arch/x86_64/setup.h"
#include "arch/x86_64/traps.h"

void trap_divide_error(void);
void trap_debug(void);
void trap_int3(void);
void trap_overflow(void);
void trap_bounds(void);
void trap_invalid_op(void);
void trap_device_not_available(void);
void trap_coprocessor_segment_overrun(void);
void trap_invalid_tss(void);
void trap_segment_not_present(void);
void trap_stack_segment(void);
void trap_general_protection(void);
void trap_page_fault(void);
void trap_coprocessor_error(void);
void trap_alignment_check(void);
void trap_machine_check(void);
void trap_simd_error(void);
void hypervisor_callback(void);
void failsafe_callback(void);
void traps_dispatch(struct trap_frame *f);

/* Flags: bits 0-1 are the privilege level allowed to raise the vector with
 * "int"; bit 2 masks events on entry (xen/arch-x86/xen.h, trap_info).
 * Faults mask events: their handlers report and stop. int3 is allowed
 * from code (ring 3 is where a 64-bit PV kernel runs). */
#define MASK_EVENTS 4
#define TRAP(v, dpl, fn)                                                  \
	{                                                                 \
		v, (dpl) | MASK_EVENTS, FLAT_KERNEL_CS, (unsigned long)fn \
	}

static const struct trap_info trap_table[] = {
	TRAP(0, 0, trap_divide_error),
	TRAP(1, 0, trap_debug),
	TRAP(3, 3, trap_int3),
	TRAP(4, 3, trap_overflow),
	TRAP(5, 3, trap_bounds),
	TRAP(6, 0, trap_invalid_op),
	TRAP(7, 0, trap_device_not_available),
	TRAP(9, 0, trap_coprocessor_segment_overrun),
	TRAP(10, 0, trap_invalid_tss),
	TRAP(11, 0, trap_segment_not_present),
	TRAP(12, 0, trap_stack_segment),
	TRAP(13, 0, trap_general_protection),
	TRAP(14, 0, trap_page_fault),
	TRAP(16, 0, trap_coprocessor_error),
	TRAP(17, 0, trap_alignment_check),
	TRAP(18, 0, trap_machine_check),
	TRAP(19, 0, trap_simd_error),
	{ 0, 0, 0, 0 },
};

static const char *const vector_names[20] = {
	"divide error",
	"debug",
	"NMI",
	"breakpoint",
	"overflow",
	"bound range",
	"invalid opcode",
	"device not available",
	"double fault",
	"coprocessor segment overrun",
	"invalid TSS",
	"segment not present",
	"stack segment fault",
	"general protection",
	"page fault",
	"reserved",
	"x87 FPU error",
	"alignment check",
	"machine check",
	"SIMD exception",
};

static struct traps_handlers handlers;

const char *traps_vector_name(uint64_t vector)
{
	if (vector < 20)
		return vector_names[vector];
	if (vector == ARCH_VEC_FAILSAFE)
		return "failsafe callback";
	if (vector == ARCH_VEC_STACK_OVERFLOW)
		return "stack overflow";
	return "unknown";
}

void arch_crash(void)
{
	struct sched_shutdown s = { .reason = SHUTDOWN_crash };

	for (;;)
		(void)hypercall_sched_op(SCHEDOP_shutdown, &s);
}

void arch_early_panic(const char *msg)
{
	static const char prefix[] = "SKIFF PANIC early: ";

	(void)hypercall_console_io(CONSOLEIO_write, sizeof(prefix) - 1, prefix);
	(void)hypercall_console_io(CONSOLEIO_write, strlen(msg), msg);
	(void)hypercall_console_io(CONSOLEIO_write, 1, "\n");
	arch_crash();
}

void traps_init(void)
{
	if (hypercall_set_trap_table(trap_table) != 0)
		arch_early_panic("traps: set_trap_table failed");
	if (hypercall_set_callbacks((unsigned long)hypervisor_callback,
				    (unsigned long)failsafe_callback, 0) != 0)
		arch_early_panic("traps: set_callbacks failed");
}

void traps_set_handlers(const struct traps_handlers *h)
{
	handlers = *h;
}

/* The faulting address of a page fault: Xen stores it in vcpu_info,
 * a PV guest does not read %cr2. */
static uint64_t fault_address(uint64_t vector)
{
	if (vector != 14)
		return 0;
	return arch_shared_info()->vcpu_info[0].arch.cr2;
}

void traps_dispatch(struct trap_frame *f)
{
	if (f->vector == ARCH_VEC_UPCALL) {
		if (handlers.upcall)
			handlers.upcall(f);
		return;
	}
	if (handlers.fault) {
		handlers.fault(f, fault_address(f->vector));
		return;
	}
	arch_early_panic(traps_vector_name(f->vector));
}
