/*
 * CPU helpers for a 64-bit PV guest: barriers, the virtual interrupt flag
 * (Xen's per-vCPU event mask), the per-CPU block reached through %fs, and
 * FPU/SSE state handling.
 */
#ifndef ARCH_X86_64_CPU_H
#define ARCH_X86_64_CPU_H

#include <stdbool.h>
#include <stdint.h>

#define barrier() asm volatile("" ::: "memory")
#define mb() asm volatile("mfence" ::: "memory")
#define rmb() asm volatile("lfence" ::: "memory")
#define wmb() asm volatile("sfence" ::: "memory")

/*
 * The per-CPU block that %fs points at. gcc's -fsplit-stack prologues
 * compare the new stack pointer against %fs:0x70; we use that check (with
 * __morestack in traps_entry.S reporting an overflow) because Xen delivers
 * a PV guest's exceptions on the faulting stack: a plain guard-page hit
 * cannot be reported by the guest itself, Xen kills the domain while
 * writing the exception frame. The guard pages stay as the last line.
 */
struct arch_cpu_block {
	uint64_t reserved[14];
	uint64_t stack_limit; /* offset 0x70: lowest allowed %rsp */
};
_Static_assert(__builtin_offsetof(struct arch_cpu_block, stack_limit) == 0x70,
	       "gcc's split-stack ABI reads the stack limit at %fs:0x70");

extern struct arch_cpu_block arch_cpu_block;

/* Bytes kept free above a guard page for exception frames and for calls
 * into code built without the split-stack check (newlib). */
#define ARCH_STACK_MARGIN 2048

static inline void arch_set_stack_limit(uint64_t limit)
{
	arch_cpu_block.stack_limit = limit;
}

/* Events (virtual interrupts) on/off. Implemented on the vcpu_info mask. */
unsigned long arch_irq_save(void);
void arch_irq_restore(unsigned long flags);
void arch_irq_enable(void);
void arch_irq_disable(void);
int arch_irq_enabled(void);

static inline uint64_t arch_rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

static inline void arch_cpuid(uint32_t leaf, uint32_t subleaf, uint32_t r[4])
{
	asm volatile("cpuid"
		     : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
		     : "a"(leaf), "c"(subleaf));
}

/* Hardware random numbers: true and a value when the CPU delivered one
 * (it may fail transiently: callers retry a few times). Use only where
 * arch_cpu_has_rdrand()/arch_cpu_has_rdseed() said yes. */
static inline bool arch_rdrand64(uint64_t *out)
{
	uint8_t ok;

	asm volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
	return ok;
}

static inline bool arch_rdseed64(uint64_t *out)
{
	uint8_t ok;

	asm volatile("rdseed %0; setc %1" : "=r"(*out), "=qm"(ok) : : "cc");
	return ok;
}

static inline bool arch_cpu_has_rdrand(void)
{
	uint32_t r[4];

	arch_cpuid(1, 0, r);
	return (r[2] >> 30) & 1;
}

static inline bool arch_cpu_has_rdseed(void)
{
	uint32_t r[4];

	arch_cpuid(0, 0, r);
	if (r[0] < 7)
		return false;
	arch_cpuid(7, 0, r);
	return (r[1] >> 18) & 1;
}

/* The FPU/SSE state saved on every context switch (fxsave format). */
struct arch_fpu_state {
	uint8_t area[512];
} __attribute__((aligned(16)));

static inline void arch_fpu_save(struct arch_fpu_state *s)
{
	asm volatile("fxsave64 %0" : "=m"(*s));
}

static inline void arch_fpu_restore(const struct arch_fpu_state *s)
{
	asm volatile("fxrstor64 %0" : : "m"(*s));
}

/* Put the FPU in its initial state and save that as a template for new
 * threads. */
void arch_fpu_init(struct arch_fpu_state *initial);

#endif
