/*
 * PAGE_SIZE and PAGE_SHIFT for layers above the kernel (drivers, lib),
 * which include no arch/ header themselves.
 */
#ifndef KERNEL_PAGE_H
#define KERNEL_PAGE_H

#include "arch/x86_64/layout.h"

#endif
