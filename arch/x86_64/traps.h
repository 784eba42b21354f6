/*
 * Exceptions, the event upcall and the failsafe callback.
 *
 * Xen delivers all of them as bounce frames on the current stack (a PV
 * guest has no IST). The assembly in traps_entry.S saves the registers
 * into a struct trap_frame and calls the handlers the kernel installed
 * with traps_set_handlers(). Until then a fault stops the guest with a
 * line on the early console.
 */
#ifndef ARCH_X86_64_TRAPS_H
#define ARCH_X86_64_TRAPS_H

#include <stdint.h>

/* Pseudo vectors for entries that are not CPU exceptions. */
#include "arch/x86_64/traps_vectors.h"

/* Register state at a trap, lowest address first (as pushed). */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector;
	/* For ARCH_VEC_STACK_OVERFLOW: the frame size the function wanted;
	 * rcx then holds the stack limit it would have crossed. */
	uint64_t error_code;
	uint64_t rip, cs, rflags, rsp, ss;
};

struct traps_handlers {
	/* A CPU exception, a failsafe callback or a stack overflow. Runs with
	 * events masked; for everything but #BP it must not return. */
	void (*fault)(struct trap_frame *f, uint64_t fault_addr);
	/* The event channel upcall. Runs with events masked. */
	void (*upcall)(struct trap_frame *f);
};

/* Install the trap table and callbacks. Boot only. */
void traps_init(void);
void traps_set_handlers(const struct traps_handlers *h);

/* The name of a CPU exception vector, or "unknown". */
const char *traps_vector_name(uint64_t vector);

/* Stop the domain as crashed, without any output. */
__attribute__((noreturn)) void arch_crash(void);

/* Print msg on the early console and crash: for failures before the
 * kernel's log exists. */
__attribute__((noreturn)) void arch_early_panic(const char *msg);

#endif
