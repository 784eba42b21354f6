/*
 * Access to the symbol table linked into the kernel image.
 *
 * The arrays come from the object that tools/gen-ksyms generates (an empty
 * table in the first link pass). _etext must be defined by the linker
 * script at the end of the text section; it bounds the last symbol.
 * This file is kernel only: the host unit tests build tables themselves.
 */
#include <stdint.h>

#include "kernel/ksyms.h"

extern const uint64_t ksyms_count;
extern const uint64_t ksyms_addrs[];
extern const uint32_t ksyms_name_offsets[];
extern const char ksyms_names[];
extern const char _etext[];

const struct ksyms_table *ksyms_builtin(void)
{
	/*
	 * The values are link-time constants, but not C constant
	 * expressions, so the table is filled on each call; that is cheap
	 * and keeps this safe to call first from a panic.
	 */
	static struct ksyms_table table;

	table.count = ksyms_count;
	table.addrs = ksyms_addrs;
	table.name_offsets = ksyms_name_offsets;
	table.names = ksyms_names;
	table.end = (uint64_t)(uintptr_t)_etext;
	return &table;
}
