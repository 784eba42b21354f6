/*
 * The toolstack's control node (control/shutdown, control/sysrq): what
 * `xl shutdown`, `xl reboot` and `xl sysrq` write for the guest to act on.
 */
#ifndef DRIVERS_CONTROL_H
#define DRIVERS_CONTROL_H

/* Advertise what we honour and start the thread that watches control/.
 * Returns 0 or a negative errno (the guest then cannot be shut down
 * cleanly, only destroyed). Thread context, after xenstore_init(). */
int control_init(void);

#endif
