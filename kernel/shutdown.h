/*
 * Work to do before the domain goes away in an orderly way: exit()
 * (any status), `xl shutdown` and `xl reboot` (and sysrq o/b) run the
 * registered hooks, newest first, in the thread that asked, before the
 * SKIFF EXIT line and the shutdown hypercall. A crash (panic, fault,
 * kernel_crash) runs none: after a crash nothing is trusted enough to be
 * written out. lib/ registers vfs_unmount_all() here, so filesystems are
 * synced and unmounted on the way out.
 */
#ifndef KERNEL_SHUTDOWN_H
#define KERNEL_SHUTDOWN_H

#define SHUTDOWN_MAX_HOOKS 8

/* Add fn to the hooks. fn runs in thread context and may block; it runs
 * at most once. Returns 0, or -ENOSPC when SHUTDOWN_MAX_HOOKS are
 * registered. Thread context. */
int shutdown_hook_register(void (*fn)(void));

#endif
