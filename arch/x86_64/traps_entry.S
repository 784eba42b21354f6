/*
 * Exception, upcall and failsafe entry stubs, and __morestack.
 *
 * Xen's 64-bit PV bounce frame is: %rcx, %r11, [error code,] %rip, %cs,
 * %rflags, %rsp, %ss. Each stub restores %rcx/%r11, pushes a zero error
 * code where the CPU gives none, pushes its vector, and joins trap_common,
 * which saves a struct trap_frame (traps.h), aligns the stack to 16 bytes
 * (gcc assumes it; Xen only guarantees 8 here) and calls traps_dispatch().
 * We return through HYPERVISOR_iret, which restores the event mask from
 * the saved %rflags.IF atomically with the return, so an event that became
 * pending meanwhile is delivered at once instead of being lost.
 */
#include <xen/xen.h>
#include "arch/x86_64/traps_vectors.h"

.macro TRAP_NOERR name, vec
	.globl \name
\name:
	pop %rcx
	pop %r11
	push $0
	push $\vec
	jmp trap_common
.endm

.macro TRAP_ERR name, vec
	.globl \name
\name:
	pop %rcx
	pop %r11
	push $\vec
	jmp trap_common
.endm

	.text
TRAP_NOERR trap_divide_error, 0
TRAP_NOERR trap_debug, 1
TRAP_NOERR trap_int3, 3
TRAP_NOERR trap_overflow, 4
TRAP_NOERR trap_bounds, 5
TRAP_NOERR trap_invalid_op, 6
TRAP_NOERR trap_device_not_available, 7
TRAP_NOERR trap_coprocessor_segment_overrun, 9
TRAP_ERR trap_invalid_tss, 10
TRAP_ERR trap_segment_not_present, 11
TRAP_ERR trap_stack_segment, 12
TRAP_ERR trap_general_protection, 13
TRAP_ERR trap_page_fault, 14
TRAP_NOERR trap_coprocessor_error, 16
TRAP_ERR trap_alignment_check, 17
TRAP_NOERR trap_machine_check, 18
TRAP_NOERR trap_simd_error, 19
TRAP_NOERR hypervisor_callback, ARCH_VEC_UPCALL

	/* Xen could not return to us (a bad segment in an iret frame). Its
	 * frame carries %ds, %es, %fs, %gs above %rcx/%r11; drop them. */
	.globl failsafe_callback
failsafe_callback:
	pop %rcx
	pop %r11
	add $32, %rsp
	push $0
	push $ARCH_VEC_FAILSAFE
	jmp trap_common

trap_common:
	push %rax
	push %rbx
	push %rcx
	push %rdx
	push %rsi
	push %rdi
	push %rbp
	push %r8
	push %r9
	push %r10
	push %r11
	push %r12
	push %r13
	push %r14
	push %r15
	cld			/* the C ABI wants DF clear; memmove sets it */
	mov %rsp, %rdi
	mov %rsp, %rbx		/* callee-saved: survives the call */
	and $-16, %rsp
	call traps_dispatch
	mov %rbx, %rsp
	pop %r15
	pop %r14
	pop %r13
	pop %r12
	pop %r11
	pop %r10
	pop %r9
	pop %r8
	pop %rbp
	pop %rdi
	pop %rsi
	pop %rdx
	pop %rcx
	pop %rbx
	pop %rax
	add $16, %rsp		/* vector, error code */
	push $0			/* iret flags: not returning from syscall */
	jmp hypercall_page + __HYPERVISOR_iret * 32

/*
 * Called by the prologue of a function built with -fsplit-stack when its
 * frame would go below %fs:0x70 (struct arch_cpu_block.stack_limit): a
 * stack overflow, caught before the guard page. %r10 holds the frame size
 * and the return address points into the overflowing function. Build a
 * trap frame on the emergency stack (error code: the frame size; %rcx:
 * the stack limit that was crossed) and report; this never returns.
 */
	.globl __morestack
__morestack:
	mov %rsp, %rax
	mov %fs:0x70, %rcx	/* reported as the frame's %rcx */
	lea overflow_stack_top(%rip), %rsp
	lea overflow_stack(%rip), %rdx
	mov %rdx, %fs:0x70	/* the report itself runs on checked code */
	push $0			/* ss */
	lea 8(%rax), %rdx
	push %rdx		/* rsp of the overflowing function */
	pushf
	push $0			/* cs */
	push (%rax)		/* rip: inside the overflowing function */
	push %r10		/* error code: the frame it wanted */
	push $ARCH_VEC_STACK_OVERFLOW
	jmp trap_common

	.bss
	.p2align 12
overflow_stack:
	.skip 16384
overflow_stack_top:
