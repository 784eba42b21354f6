/*
 * Seed material (see entropy.h). Each 64-bit word is a hardware random
 * number when the CPU has one (RDSEED preferred: it is meant for seeding;
 * RDRAND otherwise), folded with timing that an observer outside the guest
 * cannot know to the cycle: the TSC read around a hypervisor clock read
 * and the wall clock. The timing part alone is weak, and entropy_get()
 * says when it was all there was.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "arch/x86_64/cpu.h"
#include "kernel/critical.h"
#include "kernel/entropy.h"
#include "kernel/timer.h"

#define HW_TRIES 10

static struct {
	bool probed, has_rdseed, has_rdrand;
	uint64_t pool; /* carries timing from one call into the next */
} ent;

/* splitmix64's finaliser: every input bit reaches every output bit. */
static uint64_t mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static bool hw_word(uint64_t *out)
{
	for (int i = 0; i < HW_TRIES; i++) {
		if (ent.has_rdseed && arch_rdseed64(out))
			return true;
		if (ent.has_rdrand && arch_rdrand64(out))
			return true;
	}
	return false;
}

static uint64_t timing_word(void)
{
	uint64_t t0 = arch_rdtsc(), now = timer_now_ns();
	uint64_t t1 = arch_rdtsc();

	ent.pool = mix64(ent.pool + 0x9e3779b97f4a7c15ULL) ^ t0;
	ent.pool = mix64(ent.pool ^ now ^ (t1 - t0) << 48);
	return ent.pool;
}

bool entropy_get(void *buf, size_t len)
{
	unsigned long state = critical_enter();
	bool hw = true;
	uint8_t *out = buf;
	uint64_t word, r;

	if (!ent.probed) {
		ent.has_rdseed = arch_cpu_has_rdseed();
		ent.has_rdrand = arch_cpu_has_rdrand();
		ent.pool = timer_realtime_ns();
		ent.probed = true;
	}
	while (len > 0) {
		size_t n = len < sizeof(word) ? len : sizeof(word);

		word = timing_word();
		if (hw_word(&r))
			word = mix64(word ^ r);
		else
			hw = false;
		memcpy(out, &word, n);
		out += n;
		len -= n;
	}
	critical_exit(state);
	return hw;
}
