/*
 * The frontend side of the xenbus handshake, shared by every split driver
 * (xen/include/public/io/xenbus.h for the states).
 *
 * A driver enumerates the ids under device/<type>, opens one device (this reads
 * and checks the backend's path and domain, and watches the backend's state),
 * reads the backend's features, sets up its rings, and calls
 * xenbus_connect() with a small table of keys. The helper owns the
 * transaction retry loop, the state switches and the waits. Everything
 * here blocks: thread context only.
 */
#ifndef DRIVERS_XENBUS_H
#define DRIVERS_XENBUS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <xen/io/xenbus.h>

#include "drivers/xenstore.h"

#define XENBUS_PATH_MAX 128
#define XENBUS_VALUE_MAX 64

struct xenbus_device {
	char node[XENBUS_PATH_MAX];    /* "device/vif/0", ours */
	char backend[XENBUS_PATH_MAX]; /* the backend's directory */
	uint16_t backend_id;
	struct xenstore_watch backend_watch; /* on <backend>/state */
	char watch_token[24];
};

struct xenbus_key {
	const char *name; /* relative to the device node */
	char value[XENBUS_VALUE_MAX];
};

/* The ids under device/<type> ("0\0" "1\0"...) into ids; their number in
 * *count (0 when there is no such device). Returns 0 or negative errno. */
int xenbus_list_devices(const char *type, char *ids, size_t size,
			size_t *count);

/* Open device/<type>/<id>: read and validate backend and backend-id,
 * watch the backend's state, and wait (until deadline_ns, Xen time) for
 * the backend to be ready for our keys (InitWait or later). A backend left
 * Closed by an earlier close of ours is asked to reopen (we write
 * Initialising), so a front end can always open again what it closed.
 * Returns 0, -ENOENT (no such device), -ENODEV (the toolstack is taking
 * it away), -EINVAL (a malformed backend path or id: never trusted),
 * -ETIMEDOUT, or another negative errno. */
int xenbus_open(struct xenbus_device *dev, const char *type, const char *id,
		uint64_t deadline_ns);

/* Read one of the backend's keys (e.g. "feature-sg"). -ENOENT if absent. */
int xenbus_read_backend(const struct xenbus_device *dev, const char *key,
			char *buf, size_t size);
/* As above, as a number; *value = dflt when the key is absent. */
int xenbus_read_backend_uint(const struct xenbus_device *dev, const char *key,
			     uint64_t dflt, uint64_t *value);

/* Write keys[0..n) and our state (after_keys: XenbusStateInitialised or
 * XenbusStateConnected, as the protocol wants) in one transaction, wait
 * for the backend to reach Connected, then make sure we are Connected.
 * Returns 0, -ETIMEDOUT, -ECONNREFUSED (the backend closed instead), or
 * another negative errno. */
int xenbus_connect(struct xenbus_device *dev, const struct xenbus_key *keys,
		   size_t n, enum xenbus_state after_keys,
		   uint64_t deadline_ns);

/* Closing, wait for the backend to close (until deadline_ns), Closed;
 * stop watching. The caller tears its rings down afterwards. */
int xenbus_close(struct xenbus_device *dev, uint64_t deadline_ns);

/* The backend's current state, or a negative errno. */
int xenbus_backend_state(const struct xenbus_device *dev);

/* Wait until the backend's state changes from what it was, or the
 * deadline: for drivers that follow a backend going away and coming back.
 * Returns the new state or a negative errno. */
int xenbus_wait_backend_change(struct xenbus_device *dev, int old_state,
			       uint64_t deadline_ns);

/* The state of device/<type>/<id>'s backend without opening it: for a
 * driver deciding whether to open (InitWait: a new device; Closed: one we
 * closed, xenbus_open() reopens it). -ENOENT when there is no such
 * device, -ENODEV when its backend is closed and the toolstack is taking
 * it away. */
int xenbus_probe_backend(const char *type, const char *id);

/* Following a device that is not open: wakes up when anything under
 * device/<type>/<id> changes (xl *-attach writes it anew). */
struct xenbus_device_watch {
	struct xenstore_watch watch;
	char token[24];
	bool watched;
	unsigned failures; /* connects failed in a row (xenbus_follow) */
};

/* Wait for a change under device/<type>/<id> or the deadline (0 or
 * -ETIMEDOUT). Sets the watch up on first use; if xenstore refuses it,
 * sleeps until the deadline (the caller polls) and returns that error. */
int xenbus_wait_device(struct xenbus_device_watch *w, const char *type,
		       const char *id, uint64_t deadline_ns);
void xenbus_unwatch_device(struct xenbus_device_watch *w);

/*
 * A front end's control thread follows its backend with this, one step at
 * a time, and acts on the answer:
 * - connected: waits (a quarter second at most) for the backend to leave
 *   Connected; DISCONNECT when it did (or went away), or when the driver
 *   found its ring broken;
 * - detached: CONNECT when there is a backend to open: a new one waiting
 *   (xl *-attach) or the one we closed ourselves (xenbus_open() asks it
 *   to reopen); else waits (a second at most) for device/<type>/<id> to
 *   change.
 * STAY when there is nothing to do (the step has waited). Xenstore
 * trouble is logged and waited out, never acted on.
 */
enum xenbus_follow {
	XENBUS_FOLLOW_STAY,
	XENBUS_FOLLOW_DISCONNECT,
	XENBUS_FOLLOW_CONNECT,
};
enum xenbus_follow xenbus_follow(struct xenbus_device *dev,
				 struct xenbus_device_watch *w,
				 const char *type, const char *id,
				 bool connected, bool broken);
/* After a failed connect: wait before trying again, 1 s after the first
 * failure in a row, doubling up to 64 s, or until *stop. */
void xenbus_follow_backoff(struct xenbus_device_watch *w, const bool *stop);

#endif
