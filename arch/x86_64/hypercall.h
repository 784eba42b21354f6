/*
 * One wrapper per Xen hypercall: the only file with hypercall inline asm.
 *
 * Each wrapper calls the 32-byte stub Xen wrote into hypercall_page for that
 * hypercall number. 64-bit PV ABI: arguments in %rdi, %rsi, %rdx, %r10, %r8;
 * result in %rax; Xen may clobber %rcx and %r11 (it returns with sysret) and,
 * in debug builds, the argument registers, so all of them are outputs here.
 *
 * The wrappers have no policy. They return Xen's own result: 0 or a negative
 * Xen errno (Linux numbering). The kernel module that owns each concept
 * translates with xen_errno() (kernel/xen_errno.h) before anything above
 * sees it.
 */
#ifndef ARCH_X86_64_HYPERCALL_H
#define ARCH_X86_64_HYPERCALL_H

#include <stdint.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/event_channel.h>
#include <xen/vcpu.h>
#include <xen/memory.h>
#include <xen/grant_table.h>
#include <xen/physdev.h>
#include <xen/version.h>
#include <xen/callback.h>

extern char hypercall_page[4096];

#define HYPERCALL_STUB(nr) (hypercall_page + (nr)*32)

static inline long hypercall2(unsigned nr, uint64_t a1, uint64_t a2)
{
	register uint64_t rdi asm("rdi") = a1;
	register uint64_t rsi asm("rsi") = a2;
	long ret;

	asm volatile("call *%[stub]"
		     : "=a"(ret), "+r"(rdi), "+r"(rsi)
		     : [stub] "r"(HYPERCALL_STUB(nr))
		     : "rcx", "r11", "rdx", "r10", "r8", "memory");
	return ret;
}

static inline long hypercall3(unsigned nr, uint64_t a1, uint64_t a2,
			      uint64_t a3)
{
	register uint64_t rdi asm("rdi") = a1;
	register uint64_t rsi asm("rsi") = a2;
	register uint64_t rdx asm("rdx") = a3;
	long ret;

	asm volatile("call *%[stub]"
		     : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx)
		     : [stub] "r"(HYPERCALL_STUB(nr))
		     : "rcx", "r11", "r10", "r8", "memory");
	return ret;
}

static inline long hypercall4(unsigned nr, uint64_t a1, uint64_t a2,
			      uint64_t a3, uint64_t a4)
{
	register uint64_t rdi asm("rdi") = a1;
	register uint64_t rsi asm("rsi") = a2;
	register uint64_t rdx asm("rdx") = a3;
	register uint64_t r10 asm("r10") = a4;
	long ret;

	asm volatile("call *%[stub]"
		     : "=a"(ret), "+r"(rdi), "+r"(rsi), "+r"(rdx), "+r"(r10)
		     : [stub] "r"(HYPERCALL_STUB(nr))
		     : "rcx", "r11", "r8", "memory");
	return ret;
}

static inline long hypercall_set_trap_table(const struct trap_info *traps)
{
	return hypercall2(__HYPERVISOR_set_trap_table, (uint64_t)traps, 0);
}

static inline long hypercall_mmu_update(const struct mmu_update *req,
					unsigned count, unsigned *done,
					domid_t dom)
{
	return hypercall4(__HYPERVISOR_mmu_update, (uint64_t)req, count,
			  (uint64_t)done, dom);
}

static inline long hypercall_mmuext_op(const struct mmuext_op *op,
				       unsigned count, unsigned *done,
				       domid_t dom)
{
	return hypercall4(__HYPERVISOR_mmuext_op, (uint64_t)op, count,
			  (uint64_t)done, dom);
}

static inline long hypercall_update_va_mapping(uint64_t va, uint64_t pte,
					       uint64_t flags)
{
	return hypercall3(__HYPERVISOR_update_va_mapping, va, pte, flags);
}

static inline long hypercall_set_callbacks(uint64_t event, uint64_t failsafe,
					   uint64_t syscall)
{
	return hypercall3(__HYPERVISOR_set_callbacks, event, failsafe, syscall);
}

static inline long hypercall_callback_op(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_callback_op, cmd, (uint64_t)arg);
}

static inline long hypercall_sched_op(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_sched_op, cmd, (uint64_t)arg);
}

static inline long hypercall_set_timer_op(uint64_t deadline_ns)
{
	return hypercall2(__HYPERVISOR_set_timer_op, deadline_ns, 0);
}

static inline long hypercall_event_channel_op(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_event_channel_op, cmd, (uint64_t)arg);
}

static inline long hypercall_console_io(int cmd, unsigned count,
					const char *buf)
{
	return hypercall3(__HYPERVISOR_console_io, cmd, count, (uint64_t)buf);
}

static inline long hypercall_vcpu_op(int cmd, unsigned vcpu, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, (uint64_t)arg);
}

static inline long hypercall_memory_op(unsigned cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_memory_op, cmd, (uint64_t)arg);
}

static inline long hypercall_grant_table_op(unsigned cmd, void *args,
					    unsigned count)
{
	return hypercall3(__HYPERVISOR_grant_table_op, cmd, (uint64_t)args,
			  count);
}

static inline long hypercall_xen_version(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_xen_version, cmd, (uint64_t)arg);
}

static inline long hypercall_physdev_op(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_physdev_op, cmd, (uint64_t)arg);
}

static inline long hypercall_fpu_taskswitch(int set)
{
	return hypercall2(__HYPERVISOR_fpu_taskswitch, set, 0);
}

static inline long hypercall_set_segment_base(unsigned which, uint64_t base)
{
	return hypercall2(__HYPERVISOR_set_segment_base, which, base);
}

#endif
