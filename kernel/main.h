/*
 * The boot sequence's interface to the layers above it.
 */
#ifndef KERNEL_MAIN_H
#define KERNEL_MAIN_H

#include <stdint.h>

#include "arch/x86_64/setup.h"

/* Provided by lib/start.c: run the application's main() with argv and
 * return its exit status. Called once, in the "main" thread. */
int skiff_app_main(int argc, char **argv);

/* The application's name, argv[0] (writable, as C wants argv): generated
 * per image by the Makefile. */
extern char skiff_app_name[];

/* What the kernel booted from, for the drivers' start-up (lib/start.c). */
const struct boot_info *kernel_boot_info(void);

/* Xen system time (ns) when _start ran: the origin for boot timing. */
uint64_t kernel_boot_start_ns(void);

#endif
