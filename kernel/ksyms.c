/*
 * Binary search over a symbol table (see kernel/ksyms.h).
 *
 * Only the search lives here, so it can be tested on the host; the table
 * built into the image is reached through kernel/ksyms_builtin.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "kernel/ksyms.h"

int ksyms_lookup(const struct ksyms_table *t, uint64_t addr, const char **name,
		 uint64_t *offset)
{
	uint64_t lo = 0, hi = t->count, mid;

	if (t->count == 0 || addr < t->addrs[0] || addr >= t->end)
		return -ENOENT;
	/* Invariant: addrs[lo] <= addr, and addrs[hi] > addr if hi < count. */
	while (hi - lo > 1) {
		mid = lo + (hi - lo) / 2;
		if (t->addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*name = t->names + t->name_offsets[lo];
	*offset = addr - t->addrs[lo];
	return 0;
}
