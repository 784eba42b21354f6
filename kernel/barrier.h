/*
 * Memory barriers for layers above the kernel, which share memory with
 * backends through rings. One vCPU: they order our accesses against
 * another domain's, not against our own threads.
 */
#ifndef KERNEL_BARRIER_H
#define KERNEL_BARRIER_H

#include "arch/x86_64/cpu.h"

/* What <xen/io/ring.h> expects before it is included. */
#define xen_mb() mb()
#define xen_rmb() rmb()
#define xen_wmb() wmb()

#endif
