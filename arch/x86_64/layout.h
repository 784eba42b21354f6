/*
 * Virtual memory layout constants, shared by assembly and C.
 *
 * 0 .. 4 KiB               unmapped (NULL)
 * 4 KiB .. nr_pages*4 KiB  all pseudo-physical memory, virtual == physical;
 *                          the image sits at its bottom (see linker.ld)
 * ARCH_GNTTAB_BASE ..       the grant table frames Xen gives us
 * ARCH_HEAP_BASE ..         the malloc heap: pages from the page allocator,
 *                          mapped contiguously on demand by sbrk
 * Xen owns 0xffff800000000000 .. 0xffff87ffffffffff; we use none of the
 * upper half.
 */
#ifndef ARCH_X86_64_LAYOUT_H
#define ARCH_X86_64_LAYOUT_H

#define PAGE_SHIFT 12
#define PAGE_SIZE 4096
#define BOOT_STACK_SIZE (64 * 1024)

/* 512 GiB: the end of the 1:1 map's room. */
#define ARCH_GNTTAB_BASE 0x8000000000
#define ARCH_GNTTAB_MAX_FRAMES 64

/* 1 TiB: far above any pseudo-physical memory a PV guest can have here,
 * below the 47-bit limit of the lower half. */
#define ARCH_HEAP_BASE 0x10000000000
#define ARCH_HEAP_MAX_SIZE 0x8000000000 /* 512 GiB of address space */

#endif
