/*
 * The PV clock (xen/include/public/xen.h, struct vcpu_time_info).
 *
 * Xen updates the record while we may be reading it: it makes version odd
 * before and even after, so we retry until we read one even version on
 * both sides of the copy (a seqlock).
 */
#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>

#include "arch/x86_64/cpu.h"
#include "arch/x86_64/pvclock.h"
#include "arch/x86_64/setup.h"

struct clock_snapshot {
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t mul;
	int8_t shift;
};

static void read_snapshot(struct clock_snapshot *s)
{
	volatile struct vcpu_time_info *t =
		&arch_shared_info()->vcpu_info[0].time;
	uint32_t version;

	do {
		version = t->version;
		rmb();
		s->tsc_timestamp = t->tsc_timestamp;
		s->system_time = t->system_time;
		s->mul = t->tsc_to_system_mul;
		s->shift = t->tsc_shift;
		rmb();
	} while ((version & 1) || version != t->version);
}

/* ((delta << shift) * mul) >> 32 without losing the high bits. */
static uint64_t scale(uint64_t delta, uint32_t mul, int8_t shift)
{
	if (shift < 0)
		delta >>= -shift;
	else
		delta <<= shift;
	return (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}

uint64_t pvclock_tsc_to_ns(uint64_t tsc)
{
	struct clock_snapshot s;

	read_snapshot(&s);
	if (tsc >= s.tsc_timestamp)
		return s.system_time +
		       scale(tsc - s.tsc_timestamp, s.mul, s.shift);
	return s.system_time - scale(s.tsc_timestamp - tsc, s.mul, s.shift);
}

uint64_t pvclock_now_ns(void)
{
	static uint64_t last;
	uint64_t now = pvclock_tsc_to_ns(arch_rdtsc());
	uint64_t seen = __atomic_load_n(&last, __ATOMIC_RELAXED);

	/* Extrapolating from two different Xen updates can step back by a
	 * few ns; never let a reader see time go backwards. */
	while (now > seen &&
	       !__atomic_compare_exchange_n(&last, &seen, now, false,
					    __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	return now > seen ? now : seen;
}

uint64_t pvclock_wallclock_base_ns(void)
{
	volatile struct shared_info *si = arch_shared_info();
	uint32_t version;
	uint64_t sec, nsec;

	do {
		version = si->wc_version;
		rmb();
		sec = si->wc_sec | ((uint64_t)si->wc_sec_hi << 32);
		nsec = si->wc_nsec;
		rmb();
	} while ((version & 1) || version != si->wc_version);
	return sec * 1000000000ULL + nsec;
}
