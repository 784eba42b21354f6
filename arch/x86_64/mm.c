/*
 * PV page tables.
 *
 * Xen starts us on page tables that map the image and the boot structures
 * (start_info, the p2m list, the page tables themselves) from virtual 0.
 * mm_init() extends them to every pseudo-physical page, with the rights
 * each page deserves, using one batched mmu_update per 2 MiB region.
 *
 * PV rules that shape this file (xen/include/public/xen.h, "MMU_NORMAL_PT_
 * UPDATE"): a page-table page must never be mapped writable anywhere, so a
 * new table is zeroed, then remapped read-only, then hooked into its
 * parent; every write to a table goes through Xen by machine address.
 * Xen itself adds the user bit that a 64-bit PV kernel (ring 3) needs.
 */
#include <stdint.h>
#include <errno.h>
#include <stdbool.h>
#include <string.h>
#include <xen/xen.h>

#include "arch/x86_64/hypercall.h"
#include "arch/x86_64/layout.h"
#include "arch/x86_64/mm.h"
#include "arch/x86_64/traps.h"

#define PTE_PRESENT 0x001ULL
#define PTE_RW 0x002ULL
#define PTE_USER 0x004ULL
#define PTE_ACCESSED 0x020ULL
#define PTE_DIRTY 0x040ULL
#define PTE_NX (1ULL << 63)
#define PTE_MFN_MASK 0x000ffffffffff000ULL
#define TABLE_PROT (PTE_PRESENT | PTE_RW | PTE_USER | PTE_ACCESSED | PTE_DIRTY)
#define ENTRIES 512
#define L1_SPAN (ENTRIES * (uint64_t)PAGE_SIZE)

extern char _text[], _etext[], _erodata[], boot_stack_guard[];

static struct mm_state {
	const uint64_t *p2m; /* pfn -> mfn, Xen's boot list */
	uint64_t nr_pages;
	uint64_t *l4;		/* virtual address of the top table */
	uint64_t nx;		/* PTE_NX if the CPU has it, else 0 */
	uint64_t boot_pt_first; /* Xen's initial page-table frames */
	uint64_t boot_pt_count;
	uint64_t new_pt_first;	  /* tables mm_init() added, contiguous */
	uint64_t next_free;	  /* boot-time page source */
	mm_page_source_fn source; /* after boot */
} mm;

static const uint64_t *m2p = (const uint64_t *)HYPERVISOR_VIRT_START;

uint64_t mm_pfn_to_mfn(uint64_t pfn)
{
	return mm.p2m[pfn];
}

static uint64_t *table_of(uint64_t entry)
{
	return mm_pfn_to_virt(m2p[(entry & PTE_MFN_MASK) >> PAGE_SHIFT]);
}

static uint64_t machine_addr_of(const uint64_t *p)
{
	uint64_t va = (uint64_t)p;

	return (mm_pfn_to_mfn(va >> PAGE_SHIFT) << PAGE_SHIFT) |
	       (va & (PAGE_SIZE - 1));
}

static unsigned index_at(uint64_t va, int level)
{
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & (ENTRIES - 1);
}

static int update_entry(uint64_t *entry, uint64_t val)
{
	struct mmu_update u = {
		.ptr = machine_addr_of(entry) | MMU_NORMAL_PT_UPDATE,
		.val = val,
	};

	return hypercall_mmu_update(&u, 1, NULL, DOMID_SELF) ? -EINVAL : 0;
}

static bool cpu_has_nx(void)
{
	uint32_t a = 0x80000001, b, c = 0, d;

	asm volatile("cpuid" : "+a"(a), "=b"(b), "+c"(c), "=d"(d));
	return (d >> 20) & 1;
}

static int take_page(uint64_t *pfn)
{
	if (mm.source)
		return mm.source(pfn);
	if (mm.next_free >= mm.nr_pages)
		return -ENOMEM;
	*pfn = mm.next_free++;
	return 0;
}

/* Walk one level down from *entry, making a new table if there is none. */
static uint64_t *descend(uint64_t *entry)
{
	uint64_t pfn, mfn;
	void *va;

	if (*entry & PTE_PRESENT)
		return table_of(*entry);
	if (take_page(&pfn) != 0)
		return NULL;
	va = mm_pfn_to_virt(pfn);
	if (!mm_is_mapped((uint64_t)va))
		arch_early_panic("mm: new page table frame is not mapped");
	memset(va, 0, PAGE_SIZE);
	mfn = mm_pfn_to_mfn(pfn);
	if (hypercall_update_va_mapping((uint64_t)va,
					(mfn << PAGE_SHIFT) | PTE_PRESENT |
						PTE_ACCESSED | mm.nx,
					UVMF_INVLPG) != 0)
		arch_early_panic("mm: cannot make a page table read-only");
	if (update_entry(entry, (mfn << PAGE_SHIFT) | TABLE_PROT) != 0)
		arch_early_panic("mm: Xen refused a new page table");
	return va;
}

/* The L1 table covering va, created on the way if create is set. */
static uint64_t *l1_for(uint64_t va, bool create)
{
	uint64_t *t = mm.l4;
	int level;

	for (level = 4; level > 1; level--) {
		uint64_t *e = &t[index_at(va, level)];

		if (!(*e & PTE_PRESENT) && !create)
			return NULL;
		t = descend(e);
		if (!t)
			return NULL;
	}
	return t;
}

int mm_lookup_pfn(uint64_t va, uint64_t *pfn)
{
	uint64_t *l1, pte;

	if (va >= HYPERVISOR_VIRT_START)
		return -EINVAL;
	l1 = l1_for(va & ~(uint64_t)(PAGE_SIZE - 1), false);
	if (!l1)
		return -ENOENT;
	pte = l1[index_at(va, 1)];
	if (!(pte & PTE_PRESENT))
		return -ENOENT;
	*pfn = m2p[(pte & PTE_MFN_MASK) >> PAGE_SHIFT];
	return 0;
}

int mm_is_mapped(uint64_t va)
{
	uint64_t pfn;

	return mm_lookup_pfn(va, &pfn) == 0;
}

static bool in_range(uint64_t x, uint64_t first, uint64_t count)
{
	return x >= first && x < first + count;
}

static bool is_page_table(uint64_t pfn)
{
	return in_range(pfn, mm.boot_pt_first, mm.boot_pt_count) ||
	       in_range(pfn, mm.new_pt_first, mm.next_free - mm.new_pt_first);
}

/* The entry pseudo-physical page pfn gets in the boot map. */
static uint64_t boot_pte(uint64_t pfn)
{
	uint64_t va = pfn << PAGE_SHIFT;
	uint64_t base =
		(mm_pfn_to_mfn(pfn) << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED;

	if (pfn == 0 || va == (uint64_t)boot_stack_guard)
		return 0;
	if (va >= (uint64_t)_text && va < (uint64_t)_etext)
		return base;
	if (va >= (uint64_t)_etext && va < (uint64_t)_erodata)
		return base | mm.nx;
	if (is_page_table(pfn))
		return base | mm.nx;
	return base | PTE_RW | PTE_DIRTY | mm.nx;
}

static void map_region(uint64_t va)
{
	static struct mmu_update batch[ENTRIES];
	uint64_t *l1 = l1_for(va, true);
	unsigned n = 0, done = 0;
	uint64_t pfn, l1_machine;

	if (!l1)
		arch_early_panic("mm: out of memory for page tables");
	l1_machine = machine_addr_of(l1);
	for (pfn = va >> PAGE_SHIFT; pfn < mm.nr_pages && n < ENTRIES;
	     pfn++, n++) {
		batch[n].ptr = (l1_machine + n * sizeof(uint64_t)) |
			       MMU_NORMAL_PT_UPDATE;
		batch[n].val = boot_pte(pfn);
	}
	if (hypercall_mmu_update(batch, n, &done, DOMID_SELF) != 0 || done != n)
		arch_early_panic("mm: mmu_update failed while mapping memory");
}

uint64_t mm_init(const struct mm_boot_layout *boot)
{
	uint64_t va;

	mm.p2m = boot->p2m;
	mm.nr_pages = boot->nr_pages;
	mm.l4 = boot->l4;
	mm.nx = cpu_has_nx() ? PTE_NX : 0;
	mm.boot_pt_first = boot->pt_first;
	mm.boot_pt_count = boot->pt_count;
	/* The new page tables come right after Xen's, whose last frame is
	 * followed by Xen's boot stack. */
	mm.next_free = boot->boot_end_pfn;
	if (mm.next_free < mm.boot_pt_first + mm.boot_pt_count + 1)
		mm.next_free = mm.boot_pt_first + mm.boot_pt_count + 1;
	mm.new_pt_first = mm.next_free;
	if (mm.nr_pages > (ARCH_GNTTAB_BASE >> PAGE_SHIFT))
		arch_early_panic("mm: more memory than the layout allows");
	for (va = 0; va < (mm.nr_pages << PAGE_SHIFT); va += L1_SPAN)
		map_region(va);
	return mm.next_free;
}

void mm_set_page_source(mm_page_source_fn fn)
{
	mm.source = fn;
}

uint64_t mm_m2p(uint64_t mfn)
{
	return mfn < MACH2PHYS_NR_ENTRIES ? m2p[mfn] : UINT64_MAX;
}

uint64_t mm_mfn_to_pfn(uint64_t mfn)
{
	uint64_t pfn = mm_m2p(mfn);

	/* Only trust the M2P's answer if the p2m maps it back (a frame that
	 * is not ours fails this). */
	if (pfn >= mm.nr_pages || mm_pfn_to_mfn(pfn) != mfn)
		return UINT64_MAX;
	return pfn;
}

void *mm_mfn_to_virt(uint64_t mfn)
{
	uint64_t pfn = mm_mfn_to_pfn(mfn);

	return pfn == UINT64_MAX ? NULL : mm_pfn_to_virt(pfn);
}

static int map_machine(uint64_t va, uint64_t mfn, unsigned prot)
{
	uint64_t *l1, pte = 0;

	if ((va & (PAGE_SIZE - 1)) || va >= HYPERVISOR_VIRT_START)
		return -EINVAL;
	l1 = l1_for(va, prot != MM_PROT_NONE);
	if (!l1)
		return prot == MM_PROT_NONE ? 0 : -ENOMEM;
	if (prot != MM_PROT_NONE) {
		pte = (mfn << PAGE_SHIFT) | PTE_PRESENT | PTE_ACCESSED;
		if (prot & MM_PROT_WRITE)
			pte |= PTE_RW | PTE_DIRTY;
		if (!(prot & MM_PROT_EXEC))
			pte |= mm.nx;
	}
	return hypercall_update_va_mapping(va, pte, UVMF_INVLPG) ? -EINVAL : 0;
}

int mm_map_page(uint64_t va, uint64_t pfn, unsigned prot)
{
	if (prot != MM_PROT_NONE && pfn >= mm.nr_pages)
		return -EINVAL;
	return map_machine(va, prot == MM_PROT_NONE ? 0 : mm_pfn_to_mfn(pfn),
			   prot);
}

int mm_map_machine_page(uint64_t va, uint64_t mfn, unsigned prot)
{
	return map_machine(va, mfn, prot);
}
