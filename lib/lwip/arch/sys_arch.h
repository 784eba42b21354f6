/*
 * The operating-system types lwIP's sys layer works with (lwIP 2.1,
 * src/include/lwip/sys.h and doc/sys_arch.txt describe the contract).
 *
 * Semaphores, mutexes and mailboxes are pointers to objects that
 * lib/lwip/sys_arch.c allocates on the heap and builds on the kernel's
 * threads, wait queues and locks; NULL is the "invalid" value lwIP asks
 * for. Keeping them opaque keeps kernel headers out of lwIP's headers,
 * which applications include (include/sys/socket.h).
 */
#ifndef SKIFF_LWIP_ARCH_SYS_ARCH_H
#define SKIFF_LWIP_ARCH_SYS_ARCH_H

#include <stddef.h>
#include <stdint.h>

struct sys_arch_sem;
struct sys_arch_mutex;
struct sys_arch_mbox;
struct thread;

typedef struct sys_arch_sem *sys_sem_t;
typedef struct sys_arch_mutex *sys_mutex_t;
typedef struct sys_arch_mbox *sys_mbox_t;
typedef struct thread *sys_thread_t;

/* The saved event mask of SYS_ARCH_PROTECT (arch_irq_save()'s flags). */
typedef unsigned long sys_prot_t;

#define SYS_MBOX_NULL NULL
#define SYS_SEM_NULL NULL

#define sys_sem_valid(s) ((s) != NULL && *(s) != NULL)
#define sys_sem_set_invalid(s) (*(s) = NULL)
#define sys_mutex_valid(m) ((m) != NULL && *(m) != NULL)
#define sys_mutex_set_invalid(m) (*(m) = NULL)
#define sys_mbox_valid(m) ((m) != NULL && *(m) != NULL)
#define sys_mbox_set_invalid(m) (*(m) = NULL)

/* Sleep on the scheduler's timers rather than on a throw-away semaphore
 * (lwIP's generic sys_msleep). */
#define sys_msleep(ms) sys_arch_msleep(ms)
void sys_arch_msleep(uint32_t ms);

#endif
