/*
 * The virtual interrupt flag of a PV vCPU: vcpu_info.evtchn_upcall_mask.
 *
 * Masking is a plain store. Unmasking must also look at upcall_pending:
 * an event that arrived while masked is not delivered by the unmask
 * itself, so we make any hypercall, on whose return Xen delivers pending
 * events (the same trick as Xen's own force_evtchn_callback()).
 */
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/hypercall.h"
#include "arch/x86_64/setup.h"

static struct vcpu_info *vcpu(void)
{
	return &arch_shared_info()->vcpu_info[0];
}

void arch_irq_disable(void)
{
	vcpu()->evtchn_upcall_mask = 1;
	barrier();
}

void arch_irq_enable(void)
{
	struct vcpu_info *v = vcpu();

	barrier();
	v->evtchn_upcall_mask = 0;
	barrier(); /* unmask before checking pending */
	if (v->evtchn_upcall_pending)
		(void)hypercall_xen_version(XENVER_version, NULL);
}

unsigned long arch_irq_save(void)
{
	unsigned long was_masked = vcpu()->evtchn_upcall_mask;

	arch_irq_disable();
	return was_masked;
}

void arch_irq_restore(unsigned long was_masked)
{
	if (!was_masked)
		arch_irq_enable();
}

int arch_irq_enabled(void)
{
	return !vcpu()->evtchn_upcall_mask;
}

void arch_fpu_init(struct arch_fpu_state *initial)
{
	const uint32_t mxcsr = 0x1f80; /* all exceptions masked */

	asm volatile("fninit; ldmxcsr %0" : : "m"(mxcsr));
	arch_fpu_save(initial);
}
