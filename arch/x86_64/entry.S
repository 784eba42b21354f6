/*
 * Entry point and Xen ELF notes.
 *
 * Xen's PV loader reads the notes below, builds the initial page tables,
 * and jumps to _start in 64-bit mode with %rsi pointing at start_info. We
 * switch to our own boot stack (with an unmapped guard page under it) and
 * call arch_start() in setup.c. Everything else happens in C.
 *
 * This file also reserves the hypercall page: Xen fills it with one 32-byte
 * stub per hypercall; hypercall.h calls into it.
 */
#include <xen/elfnote.h>
#include <xen/xen.h>
#include "arch/x86_64/layout.h"

.macro ELFNOTE type, directive, value:vararg
	.p2align 2
	.long 2f - 1f		/* name size */
	.long 4f - 3f		/* descriptor size */
	.long \type
1:	.asciz "Xen"
2:	.p2align 2
3:	\directive \value
4:	.p2align 2
.endm

	.section .note.Xen, "a", @note
	ELFNOTE XEN_ELFNOTE_GUEST_OS, .asciz, "Skiff"
	ELFNOTE XEN_ELFNOTE_GUEST_VERSION, .asciz, "0.1"
	ELFNOTE XEN_ELFNOTE_XEN_VERSION, .asciz, "xen-3.0"
	ELFNOTE XEN_ELFNOTE_LOADER, .asciz, "generic"
	ELFNOTE XEN_ELFNOTE_VIRT_BASE, .quad, 0
	ELFNOTE XEN_ELFNOTE_PADDR_OFFSET, .quad, 0
	ELFNOTE XEN_ELFNOTE_ENTRY, .quad, _start
	ELFNOTE XEN_ELFNOTE_HYPERCALL_PAGE, .quad, hypercall_page
	/* "dom0": the same image boots as the hardware domain for the fast
	 * kernel tests (Xen refuses a dom0 kernel that does not say so). */
	ELFNOTE XEN_ELFNOTE_FEATURES, .asciz, "dom0"
	ELFNOTE XEN_ELFNOTE_SUSPEND_CANCEL, .long, 1

	.section .text.entry, "ax"
	.globl _start
_start:
	/* The TSC first: boot-cost measurements start here. */
	rdtsc
	shl $32, %rdx
	or %rax, %rdx
	mov %rdx, boot_tsc_at_start(%rip)
	lea boot_stack_top(%rip), %rsp
	xor %ebp, %ebp		/* terminates backtraces */
	/* %fs points at the per-CPU block before any C runs: every C
	 * function's prologue checks the stack limit there (cpu.h). */
	mov %rsi, %rbx
	mov $SEGBASE_FS, %edi
	lea arch_cpu_block(%rip), %rsi
	call hypercall_page + __HYPERVISOR_set_segment_base * 32
	test %rax, %rax
	jnz 1f
	mov %rbx, %rdi		/* start_info */
	call arch_start
1:	ud2			/* arch_start never returns */

	.section .text.hypercall_page, "ax"
	.p2align 12
	.globl hypercall_page
hypercall_page:
	.fill 4096, 1, 0xcc

	.section .bss.page_aligned, "aw", @nobits
	.p2align 12
	.globl boot_stack_guard, boot_stack, boot_stack_top
boot_stack_guard:		/* unmapped by mm.c */
	.skip 4096
boot_stack:
	.skip BOOT_STACK_SIZE
boot_stack_top:

	.section .data
	.globl boot_tsc_at_start
	.p2align 3
boot_tsc_at_start:
	.quad 0
