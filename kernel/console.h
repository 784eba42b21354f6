/*
 * The console: where log lines and the application's stdout/stderr go.
 *
 * Booted as dom0 (the fast kernel tests), output goes to Xen's own console
 * through HYPERVISOR_console_io. The PV console ring of a domU arrives with
 * the xenstore work; until then a domU writes through console_io too, which
 * Xen prints only when its guest_loglvl allows.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <stddef.h>

/* Write len bytes. Never drops output; may be called from any context,
 * including upcalls and fault handlers. */
void console_write(const char *buf, size_t len);

#endif
