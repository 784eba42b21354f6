/*
 * Grant tables, version 1: let another domain (a backend) access one of
 * our pages. Drivers see grant references and pages, never frame numbers
 * or hypercalls.
 */
#ifndef KERNEL_GNTTAB_H
#define KERNEL_GNTTAB_H

#include <stdbool.h>
#include <stdint.h>

typedef uint32_t gnttab_ref;
typedef uint16_t gnttab_domid;

/* Set up the table (as many frames as Xen allows, up to
 * ARCH_GNTTAB_MAX_FRAMES). Boot only; panics on failure. */
void gnttab_init(void);

/* Grant domain dom access to the page at page (page aligned, ours).
 * Returns 0 and the reference, -ENOSPC when no reference is free, or
 * -EINVAL for an address that is not one of our pages. Any context. */
int gnttab_grant_page(gnttab_domid dom, const void *page, bool readonly,
		      gnttab_ref *ref);

/* Revoke a grant and recycle its reference. Returns 0, or -EBUSY while the
 * other domain still has the page mapped (nothing changes then: try again
 * after the backend has let go), or -EINVAL for a reference that is not
 * granted. Any context. */
int gnttab_end_access(gnttab_ref ref);

/* References in use and in all (for tests and leak checks). */
uint32_t gnttab_refs_in_use(void);
uint32_t gnttab_refs_total(void);

#endif
