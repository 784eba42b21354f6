/*
 * Symbol lookup for crash backtraces.
 *
 * The kernel is linked twice. tools/gen-ksyms turns `nm -n --defined-only`
 * of the first link into an assembly file that defines, in section .ksyms,
 * the sorted start addresses and names of all text symbols; the second
 * link adds that object. The linker script puts .ksyms after all text,
 * rodata and data, so adding the table moves no code and the addresses
 * from the first link stay right.
 *
 * ksyms_lookup() works on any struct ksyms_table, so host unit tests can
 * build one by hand; ksyms_builtin() (kernel/ksyms_builtin.c, kernel only)
 * returns the table linked into the image. Lookups read only constant data
 * and never block, so they are safe in panic and exception context.
 */
#ifndef SKIFF_KERNEL_KSYMS_H
#define SKIFF_KERNEL_KSYMS_H

#include <stdint.h>

struct ksyms_table {
	uint64_t count;		      /* number of symbols */
	const uint64_t *addrs;	      /* start addresses, ascending */
	const uint32_t *name_offsets; /* offset of each name in names */
	const char *names;	      /* NUL-separated names */
	uint64_t end;		      /* first address past the last symbol */
};

/*
 * Find the symbol containing addr: the last one whose start is <= addr.
 * On success stores its name (pointing into the table, valid as long as
 * the table) and addr minus its start. Returns -ENOENT, storing nothing, if
 * the table is empty, addr is before the first symbol, or addr >= t->end.
 * When several symbols share an address, the last in the table wins.
 */
int ksyms_lookup(const struct ksyms_table *t, uint64_t addr, const char **name,
		 uint64_t *offset);

/*
 * The table linked into the kernel image, ending at _etext. Empty (count
 * 0) in the first link pass. Kernel only: not built for the host.
 */
const struct ksyms_table *ksyms_builtin(void);

#endif /* SKIFF_KERNEL_KSYMS_H */
