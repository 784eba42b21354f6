/*
 * Crash reports for CPU exceptions, failsafe callbacks and stack
 * overflows: what happened, where (with function names), the registers
 * and a backtrace, then the domain is crashed.
 */
#ifndef KERNEL_FAULT_H
#define KERNEL_FAULT_H

#include <stdint.h>

#include "arch/x86_64/traps.h"

/* The traps_handlers.fault entry (installed by kernel_main). Returns only
 * for a breakpoint (int3), which it logs. */
void fault_handle(struct trap_frame *f, uint64_t fault_addr);

#endif
