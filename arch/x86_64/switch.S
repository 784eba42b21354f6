/*
 * Thread context switch: callee-saved registers and the stack pointer.
 * Everything else (FPU/SSE state, the stack limit, the event mask) is the
 * scheduler's business in kernel/sched.c.
 *
 * void arch_switch(uint64_t *prev_rsp, uint64_t next_rsp)
 */
	.text
	.globl arch_switch
arch_switch:
	push %rbp
	push %rbx
	push %r12
	push %r13
	push %r14
	push %r15
	mov %rsp, (%rdi)
	mov %rsi, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %rbx
	pop %rbp
	ret

/*
 * First code a new thread runs: arch_context_init() leaves the entry
 * function in %r12 and its argument in %r13. %rbp is 0 so backtraces stop
 * here. The entry function must not return (the kernel's wrapper exits the
 * thread).
 */
	.globl arch_thread_trampoline
arch_thread_trampoline:
	mov %r13, %rdi
	call *%r12
	ud2
