/*
 * Starting the drivers: xenstore and the toolstack's control node for a
 * domU; nothing for dom0 (no xenstore there). Device drivers (netfront,
 * blkfront) are opened by the libraries that use them.
 */
#ifndef DRIVERS_DRIVERS_H
#define DRIVERS_DRIVERS_H

/* Called once from the application's main thread before main(). Panics if
 * a domU cannot reach xenstore: without it no device and no shutdown
 * request could ever reach us. */
void drivers_init(void);

#endif
