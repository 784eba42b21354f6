/*
 * Time from Xen's PV clock: vcpu_time_info in shared_info gives system
 * time (ns since Xen booted) at a TSC stamp plus the scale to extrapolate
 * with the TSC; shared_info's wallclock gives real time at system time 0.
 */
#ifndef ARCH_X86_64_PVCLOCK_H
#define ARCH_X86_64_PVCLOCK_H

#include <stdint.h>

/* Xen system time now, in ns. Monotonic. Any context. */
uint64_t pvclock_now_ns(void);

/* Xen system time at which the TSC read tsc, in ns (for stamps taken
 * before shared_info was mapped, such as the one at _start). */
uint64_t pvclock_tsc_to_ns(uint64_t tsc);

/* Real time (ns since the Unix epoch) at Xen system time 0. */
uint64_t pvclock_wallclock_base_ns(void);

#endif
