/*
 * Console output through HYPERVISOR_console_io (see console.h for why this
 * is the only path today). Xen takes at most a bounded chunk per call and
 * may write less than asked, so we loop on what it reports.
 */
#include <stdint.h>
#include <xen/xen.h>

#include "arch/x86_64/hypercall.h"
#include "kernel/console.h"

void console_write(const char *buf, size_t len)
{
	while (len > 0) {
		long n = hypercall_console_io(CONSOLEIO_write, (unsigned)len,
					      buf);

		/* console_io returns the bytes written on recent Xen, 0 on
		 * old ones; neither may leave us looping on an error. */
		if (n < 0)
			return;
		if (n == 0 || (size_t)n > len)
			n = (long)len;
		buf += n;
		len -= (size_t)n;
	}
}
