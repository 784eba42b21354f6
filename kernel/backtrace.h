/*
 * Backtraces with function names, from the image's own symbol table.
 */
#ifndef KERNEL_BACKTRACE_H
#define KERNEL_BACKTRACE_H

#include <stdint.h>

/* Log frame #0 at rip, then each caller found by walking the %rbp chain
 * from rbp. The walk stops at a zero, unmapped, misaligned or downward
 * frame pointer, so a corrupted stack ends the trace instead of faulting.
 * Any context. */
void backtrace_print(uint64_t rip, uint64_t rbp);

/* As backtrace_print() for a fault: a function that faults before it has
 * set up its frame (gcc leaves small leaf functions frameless) would be
 * missing its caller, whose return address is then at the top of the
 * stack. It is shown when it is provably one: the instruction before it
 * is a direct call to the faulting function. */
void backtrace_print_fault(uint64_t rip, uint64_t rsp, uint64_t rbp);

/* Format "name+0xoff" (or "?" when unknown) for addr into buf. */
void backtrace_symbolize(uint64_t addr, char *buf, unsigned long size);

#endif
