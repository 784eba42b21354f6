/*
 * Critical sections. One vCPU, so a section runs uninterrupted when events
 * are masked: no upcall (event handler) and no preemption can come in
 * between. Keep them short and never block inside one, except through
 * wait_event() (kernel/sched.h), which is built for that.
 */
#ifndef KERNEL_CRITICAL_H
#define KERNEL_CRITICAL_H

/* Enter a section; returns what critical_exit() needs. Nests. */
unsigned long critical_enter(void);
void critical_exit(unsigned long state);

#endif
