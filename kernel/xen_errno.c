/*
 * The one translation from Xen's errno values to newlib's. The table is
 * generated from Xen's own list (xen/errno.h is an X-macro header), so it
 * stays complete. Names newlib lacks or hides: ERESTART maps to EINTR (Xen
 * uses it internally for preempted hypercalls), the aliases to their
 * originals.
 */
#include <errno.h>

#include "kernel/xen_errno.h"

#ifndef ERESTART
#define ERESTART EINTR
#endif
#ifndef EDEADLOCK
#define EDEADLOCK EDEADLK
#endif
#ifndef EWOULDBLOCK
#define EWOULDBLOCK EAGAIN
#endif

static const struct {
	long xen;
	int ours;
} table[] = {
#define XEN_ERRNO(name, value) { value, name },
#include <xen/errno.h>
#undef XEN_ERRNO
};

int xen_errno(long xen_rc)
{
	unsigned i;

	if (xen_rc >= 0)
		return 0;
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].xen == -xen_rc)
			return -table[i].ours;
	return -EIO;
}
