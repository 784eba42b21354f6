/*
 * Driver start-up order: xenstore first (everything else is configured
 * through it), then the control node that lets xl stop us, then the disks
 * (attached before main() so that filesystems can be mounted from the
 * command line).
 */
#include <stddef.h>

#define LOG_TAG "drivers"
#include "drivers/blkfront.h"
#include "drivers/control.h"
#include "drivers/drivers.h"
#include "drivers/xenstore.h"
#include "kernel/log.h"
#include "kernel/main.h"
#include "kernel/panic.h"

void drivers_init(void)
{
	const struct boot_info *bi = kernel_boot_info();
	int rc;

	if (bi->is_dom0)
		return;
	rc = xenstore_init(bi->store_ring, bi->store_evtchn);
	if (rc != 0)
		panic("drivers: xenstore unavailable (%d)", rc);
	rc = control_init();
	if (rc != 0)
		log_err("control/shutdown watch failed (%d): xl shutdown "
			"will not reach this guest",
			rc);
	(void)blkfront_init(); /* logs each disk it attaches or not */
}
