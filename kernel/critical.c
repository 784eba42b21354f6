/*
 * Critical sections (see critical.h): the virtual interrupt flag, under a
 * kernel name so that drivers and lib never reach into arch/.
 */
#include "arch/x86_64/cpu.h"
#include "kernel/critical.h"

unsigned long critical_enter(void)
{
	return arch_irq_save();
}

void critical_exit(unsigned long state)
{
	arch_irq_restore(state);
}
