/*
 * Grant table v1 (xen/include/public/grant_table.h).
 *
 * Who writes what in an entry: we write frame and domid, then (after a
 * write barrier) flags with GTF_permit_access; Xen sets GTF_reading and
 * GTF_writing while the other domain has the page mapped. Revoking is a
 * compare-and-swap of flags to 0 that fails if Xen set either bit in the
 * meantime, so we never pull a page from under a backend.
 *
 * References never used yet are handed out in order from a high-water
 * mark; returned ones form a singly linked list threaded through an array
 * (so boot does not walk tens of thousands of entries). The first
 * GNTTAB_NR_RESERVED_ENTRIES are the toolstack's (console and xenstore)
 * and never handed out.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/grant_table.h>

#define LOG_TAG "gnttab"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/hypercall.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/mm.h"
#include "kernel/gnttab.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/xen_errno.h"

#define ENTRIES_PER_FRAME (PAGE_SIZE / sizeof(grant_entry_v1_t))
#define MAX_REFS (ARCH_GNTTAB_MAX_FRAMES * ENTRIES_PER_FRAME)
#define REF_NONE UINT32_MAX

static struct gnttab_state {
	grant_entry_v1_t *table;
	uint32_t nr_refs;
	uint32_t never_used; /* first reference not handed out yet */
	uint32_t free_head;
	uint32_t in_use;
	uint32_t next_free[MAX_REFS];
} gt; /* zero-initialised, so it stays in .bss: gnttab_init() sets it up */

static uint32_t query_max_frames(void)
{
	struct gnttab_query_size q = { .dom = DOMID_SELF };
	int rc =
		xen_errno(hypercall_grant_table_op(GNTTABOP_query_size, &q, 1));

	if (rc != 0 || q.status != GNTST_okay)
		panic("gnttab: query_size failed (%d, status %d)", rc,
		      q.status);
	return q.max_nr_frames < ARCH_GNTTAB_MAX_FRAMES
		       ? q.max_nr_frames
		       : ARCH_GNTTAB_MAX_FRAMES;
}

static void map_frames(uint32_t nr_frames)
{
	xen_pfn_t frames[ARCH_GNTTAB_MAX_FRAMES];
	struct gnttab_setup_table setup = {
		.dom = DOMID_SELF,
		.nr_frames = nr_frames,
	};
	uint32_t i;
	int rc;

	set_xen_guest_handle(setup.frame_list, frames);
	rc = xen_errno(
		hypercall_grant_table_op(GNTTABOP_setup_table, &setup, 1));
	if (rc != 0 || setup.status != GNTST_okay)
		panic("gnttab: setup_table of %u frames failed (%d, status %d)",
		      nr_frames, rc, setup.status);
	for (i = 0; i < nr_frames; i++)
		if (mm_map_machine_page(ARCH_GNTTAB_BASE + i * PAGE_SIZE,
					frames[i],
					MM_PROT_READ | MM_PROT_WRITE) != 0)
			panic("gnttab: cannot map frame %u", i);
	gt.table = (grant_entry_v1_t *)ARCH_GNTTAB_BASE;
}

void gnttab_init(void)
{
	uint32_t nr_frames = query_max_frames();

	map_frames(nr_frames);
	gt.nr_refs = nr_frames * ENTRIES_PER_FRAME;
	gt.never_used = GNTTAB_NR_RESERVED_ENTRIES;
	gt.free_head = REF_NONE;
	log_info("%u frames, %u references", nr_frames, gt.nr_refs);
}

int gnttab_grant_page(gnttab_domid dom, const void *page, bool readonly,
		      gnttab_ref *ref)
{
	uint64_t va = (uint64_t)page, pfn;
	unsigned long flags;
	uint32_t r;

	if ((va & (PAGE_SIZE - 1)) || mm_lookup_pfn(va, &pfn) != 0)
		return -EINVAL;
	flags = arch_irq_save();
	r = gt.free_head;
	if (r != REF_NONE) {
		gt.free_head = gt.next_free[r];
	} else if (gt.never_used < gt.nr_refs) {
		r = gt.never_used++;
	} else {
		arch_irq_restore(flags);
		return -ENOSPC;
	}
	gt.in_use++;
	arch_irq_restore(flags);

	gt.table[r].frame = (uint32_t)mm_pfn_to_mfn(pfn);
	gt.table[r].domid = dom;
	wmb(); /* frame and domid are valid before the entry is */
	gt.table[r].flags = GTF_permit_access | (readonly ? GTF_readonly : 0);
	*ref = r;
	return 0;
}

int gnttab_end_access(gnttab_ref ref)
{
	uint16_t old, busy = GTF_reading | GTF_writing;
	unsigned long flags;

	if (ref < GNTTAB_NR_RESERVED_ENTRIES || ref >= gt.nr_refs)
		return -EINVAL;
	old = __atomic_load_n(&gt.table[ref].flags, __ATOMIC_SEQ_CST);
	do {
		if ((old & GTF_type_mask) != GTF_permit_access)
			return -EINVAL;
		if (old & busy)
			return -EBUSY;
	} while (!__atomic_compare_exchange_n(&gt.table[ref].flags, &old, 0,
					      false, __ATOMIC_SEQ_CST,
					      __ATOMIC_SEQ_CST));
	flags = arch_irq_save();
	gt.next_free[ref] = gt.free_head;
	gt.free_head = ref;
	gt.in_use--;
	arch_irq_restore(flags);
	return 0;
}

uint32_t gnttab_refs_in_use(void)
{
	return gt.in_use;
}

uint32_t gnttab_refs_total(void)
{
	return gt.nr_refs;
}
