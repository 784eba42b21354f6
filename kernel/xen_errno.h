/*
 * Xen error numbers (Linux numbering, xen/include/public/errno.h) to
 * newlib's errno values. Every hypercall result passes through
 * xen_errno() before anything above the owning kernel module sees it:
 * the two numberings differ (ENOSYS, ETIMEDOUT, ...).
 */
#ifndef KERNEL_XEN_ERRNO_H
#define KERNEL_XEN_ERRNO_H

/* 0 or a negative newlib errno for a hypercall's return value. */
int xen_errno(long xen_rc);

#endif
