/*
 * Saved CPU context of a thread that is not running, and how a new one
 * starts. Only the stack pointer is kept: arch_switch() pushes the
 * callee-saved registers on the thread's own stack. A new stack holds the
 * six registers arch_switch() pops and, as return address, the trampoline,
 * which then runs with %rsp == stack_top: 16-byte aligned before its call,
 * as the ABI wants.
 */
#ifndef ARCH_X86_64_CONTEXT_H
#define ARCH_X86_64_CONTEXT_H

#include <stdint.h>

/* Save the current context's stack pointer in *prev_rsp and resume the one
 * saved as next_rsp. Call with events masked. */
void arch_switch(uint64_t *prev_rsp, uint64_t next_rsp);

void arch_thread_trampoline(void);

/* Prepare a stack so that switching to the returned stack pointer calls
 * entry(arg) on it. stack_top must be 16-byte aligned. */
static inline uint64_t arch_context_init(uint64_t stack_top,
					 void (*entry)(void *), void *arg)
{
	uint64_t *sp = (uint64_t *)stack_top;

	*--sp = (uint64_t)arch_thread_trampoline; /* return address */
	*--sp = 0;				  /* rbp */
	*--sp = 0;				  /* rbx */
	*--sp = (uint64_t)entry;		  /* r12 */
	*--sp = (uint64_t)arg;			  /* r13 */
	*--sp = 0;				  /* r14 */
	*--sp = 0;				  /* r15 */
	return (uint64_t)sp;
}

#endif
