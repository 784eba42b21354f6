/*
 * The shared frontend handshake (see xenbus.h).
 *
 * Nothing the backend or the toolstack wrote is trusted: the backend path
 * must be an absolute xenstore path of sane characters, the backend id a
 * number below DOMID_FIRST_RESERVED, and a state a number in the enum.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>

#define LOG_TAG "xenbus"
#include "drivers/xenbus.h"
#include "drivers/xenstore.h"
#include "kernel/fmt.h"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "kernel/timer.h"

static int join(char *out, size_t size, const char *dir, const char *key)
{
	int n = fmt_snprintf(out, size, "%s/%s", dir, key);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int xenbus_list_devices(const char *type, char *ids, size_t size, size_t *count)
{
	char dir[XENBUS_PATH_MAX];
	int rc = join(dir, sizeof(dir), "device", type);

	if (rc != 0)
		return rc;
	rc = xenstore_directory(XENSTORE_TX_NONE, dir, ids, size, count);
	if (rc == -ENOENT) {
		*count = 0;
		return 0;
	}
	return rc;
}

static bool path_is_sane(const char *p)
{
	if (p[0] != '/')
		return false;
	for (; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("/_-.@", *p)))
			return false;
	return true;
}

static int read_state(const char *dir, int *state)
{
	char path[XENBUS_PATH_MAX];
	uint64_t v;
	int rc = join(path, sizeof(path), dir, "state");

	if (rc == 0)
		rc = xenstore_read_uint(XENSTORE_TX_NONE, path, &v);
	if (rc != 0)
		return rc;
	if (v > XenbusStateReconfigured)
		return -EINVAL;
	*state = (int)v;
	return 0;
}

int xenbus_backend_state(const struct xenbus_device *dev)
{
	int state, rc = read_state(dev->backend, &state);

	return rc != 0 ? rc : state;
}

static int write_state(const struct xenbus_device *dev, uint32_t tx,
		       enum xenbus_state state)
{
	char path[XENBUS_PATH_MAX], value[4];
	int rc = join(path, sizeof(path), dev->node, "state");

	if (rc != 0)
		return rc;
	fmt_snprintf(value, sizeof(value), "%d", (int)state);
	return xenstore_write(tx, path, value);
}

static bool is_closed(int state)
{
	return state == XenbusStateClosing || state == XenbusStateClosed;
}

/* Wait until the backend's state is at least min (and not past max), or
 * it closes (unless closed_ok: we just asked it to reopen), or the
 * deadline. Returns the state or a negative errno. */
static int wait_backend(struct xenbus_device *dev, int min, int max,
			bool closed_ok, uint64_t deadline_ns)
{
	char fired[XENSTORE_WATCH_PATH_MAX];

	for (;;) {
		int state = xenbus_backend_state(dev);
		int rc;

		if (state >= min && state <= max)
			return state;
		if (is_closed(state) && !closed_ok)
			return -ECONNREFUSED;
		rc = xenstore_watch_wait(&dev->backend_watch, deadline_ns,
					 fired, sizeof(fired));
		if (rc != 0 && rc != -EOVERFLOW)
			return rc;
	}
}

static int read_backend_location(struct xenbus_device *dev)
{
	char path[XENBUS_PATH_MAX];
	uint64_t id;
	int rc = join(path, sizeof(path), dev->node, "backend");

	if (rc == 0)
		rc = xenstore_read(XENSTORE_TX_NONE, path, dev->backend,
				   sizeof(dev->backend));
	if (rc != 0)
		return rc;
	if (!path_is_sane(dev->backend)) {
		log_err("%s: malformed backend path", dev->node);
		return -EINVAL;
	}
	rc = join(path, sizeof(path), dev->node, "backend-id");
	if (rc == 0)
		rc = xenstore_read_uint(XENSTORE_TX_NONE, path, &id);
	if (rc != 0 || id >= DOMID_FIRST_RESERVED) {
		log_err("%s: malformed backend-id", dev->node);
		return rc != 0 ? rc : -EINVAL;
	}
	dev->backend_id = (uint16_t)id;
	return 0;
}

/* Is the toolstack keeping this device (its backend's "online" is 1)?
 * While it detaches one it clears that first. */
static bool backend_online(const char *backend)
{
	char path[XENBUS_PATH_MAX];
	uint64_t online;

	return join(path, sizeof(path), backend, "online") == 0 &&
	       xenstore_read_uint(XENSTORE_TX_NONE, path, &online) == 0 &&
	       online == 1;
}

/*
 * A backend in Closed (or on its way there) while the toolstack keeps the
 * device online was closed by us: a failed connect, a ring found corrupt,
 * a stack that gave up. Linux's backends wait there until the front end
 * says Initialising, then go back to InitWait; say it.
 */
static int reopen_if_closed(struct xenbus_device *dev, uint64_t deadline_ns)
{
	int state = xenbus_backend_state(dev);

	if (!is_closed(state))
		return 0;
	if (!backend_online(dev->backend))
		return -ENODEV;
	if (state == XenbusStateClosing) {
		state = xenbus_wait_backend_change(dev, XenbusStateClosing,
						   deadline_ns);
		if (state < 0)
			return state;
	}
	log_info("%s: backend closed; reopening", dev->node);
	return write_state(dev, XENSTORE_TX_NONE, XenbusStateInitialising);
}

int xenbus_open(struct xenbus_device *dev, const char *type, const char *id,
		uint64_t deadline_ns)
{
	char state_path[XENBUS_PATH_MAX];
	int rc;

	memset(dev, 0, sizeof(*dev));
	if (fmt_snprintf(dev->node, sizeof(dev->node), "device/%s/%s", type,
			 id) >= (int)sizeof(dev->node))
		return -ENAMETOOLONG;
	rc = read_backend_location(dev);
	if (rc != 0)
		return rc;
	rc = join(state_path, sizeof(state_path), dev->backend, "state");
	if (rc != 0)
		return rc;
	fmt_snprintf(dev->watch_token, sizeof(dev->watch_token), "be:%s:%s",
		     type, id);
	rc = xenstore_watch(state_path, dev->watch_token, &dev->backend_watch);
	if (rc != 0)
		return rc;
	rc = reopen_if_closed(dev, deadline_ns);
	if (rc == 0)
		rc = wait_backend(dev, XenbusStateInitWait,
				  XenbusStateConnected, true, deadline_ns);
	if (rc < 0) {
		log_err("%s: backend %s not ready (%d)", dev->node,
			dev->backend, rc);
		(void)xenstore_unwatch(&dev->backend_watch);
		return rc;
	}
	log_info("%s: backend %s (domain %u)", dev->node, dev->backend,
		 dev->backend_id);
	return 0;
}

int xenbus_read_backend(const struct xenbus_device *dev, const char *key,
			char *buf, size_t size)
{
	char path[XENBUS_PATH_MAX];
	int rc = join(path, sizeof(path), dev->backend, key);

	return rc != 0 ? rc : xenstore_read(XENSTORE_TX_NONE, path, buf, size);
}

int xenbus_read_backend_uint(const struct xenbus_device *dev, const char *key,
			     uint64_t dflt, uint64_t *value)
{
	char path[XENBUS_PATH_MAX];
	int rc = join(path, sizeof(path), dev->backend, key);

	if (rc != 0)
		return rc;
	rc = xenstore_read_uint(XENSTORE_TX_NONE, path, value);
	if (rc == -ENOENT) {
		*value = dflt;
		return 0;
	}
	return rc;
}

struct connect_args {
	const struct xenbus_device *dev;
	const struct xenbus_key *keys;
	size_t n;
	enum xenbus_state state;
};

static int write_keys(uint32_t tx, void *arg)
{
	const struct connect_args *a = arg;
	char path[XENBUS_PATH_MAX];
	size_t i;
	int rc;

	for (i = 0; i < a->n; i++) {
		rc = join(path, sizeof(path), a->dev->node, a->keys[i].name);
		if (rc == 0)
			rc = xenstore_write(tx, path, a->keys[i].value);
		if (rc != 0)
			return rc;
	}
	return write_state(a->dev, tx, a->state);
}

int xenbus_connect(struct xenbus_device *dev, const struct xenbus_key *keys,
		   size_t n, enum xenbus_state after_keys, uint64_t deadline_ns)
{
	struct connect_args a = { dev, keys, n, after_keys };
	int rc = xenstore_transact(write_keys, &a);

	if (rc != 0) {
		log_err("%s: writing keys failed (%d)", dev->node, rc);
		return rc;
	}
	rc = wait_backend(dev, XenbusStateConnected, XenbusStateConnected,
			  false, deadline_ns);
	if (rc < 0) {
		log_err("%s: backend did not connect (%d)", dev->node, rc);
		return rc;
	}
	if (after_keys == XenbusStateConnected)
		return 0;
	return write_state(dev, XENSTORE_TX_NONE, XenbusStateConnected);
}

int xenbus_close(struct xenbus_device *dev, uint64_t deadline_ns)
{
	char fired[XENSTORE_WATCH_PATH_MAX];
	int rc = write_state(dev, XENSTORE_TX_NONE, XenbusStateClosing);

	while (rc == 0) {
		int state = xenbus_backend_state(dev);

		/* A backend that is gone (its node removed) is closed too. */
		if (state == XenbusStateClosing || state == XenbusStateClosed ||
		    state == -ENOENT)
			break;
		rc = xenstore_watch_wait(&dev->backend_watch, deadline_ns,
					 fired, sizeof(fired));
		if (rc == -EOVERFLOW)
			rc = 0;
	}
	if (rc != 0)
		log_warn("%s: backend did not close (%d)", dev->node, rc);
	(void)write_state(dev, XENSTORE_TX_NONE, XenbusStateClosed);
	(void)xenstore_unwatch(&dev->backend_watch);
	return rc;
}

int xenbus_wait_backend_change(struct xenbus_device *dev, int old_state,
			       uint64_t deadline_ns)
{
	char fired[XENSTORE_WATCH_PATH_MAX];

	for (;;) {
		int state = xenbus_backend_state(dev), rc;

		if (state != old_state)
			return state;
		rc = xenstore_watch_wait(&dev->backend_watch, deadline_ns,
					 fired, sizeof(fired));
		if (rc != 0 && rc != -EOVERFLOW)
			return rc;
	}
}

int xenbus_probe_backend(const char *type, const char *id)
{
	struct xenbus_device dev;
	int state, rc;

	memset(&dev, 0, sizeof(dev));
	if (fmt_snprintf(dev.node, sizeof(dev.node), "device/%s/%s", type,
			 id) >= (int)sizeof(dev.node))
		return -ENAMETOOLONG;
	rc = read_backend_location(&dev);
	if (rc != 0)
		return rc;
	state = xenbus_backend_state(&dev);
	if (is_closed(state) && !backend_online(dev.backend))
		return -ENODEV;
	return state;
}

int xenbus_wait_device(struct xenbus_device_watch *w, const char *type,
		       const char *id, uint64_t deadline_ns)
{
	char path[XENBUS_PATH_MAX], fired[XENSTORE_WATCH_PATH_MAX];
	int rc;

	if (!w->watched) {
		if (fmt_snprintf(path, sizeof(path), "device/%s/%s", type,
				 id) >= (int)sizeof(path))
			return -ENAMETOOLONG;
		fmt_snprintf(w->token, sizeof(w->token), "dev:%s:%s", type, id);
		rc = xenstore_watch(path, w->token, &w->watch);
		if (rc != 0) {
			log_warn("cannot watch %s (%d); polling", path, rc);
			thread_sleep_until(deadline_ns);
			return rc;
		}
		w->watched = true;
	}
	rc = xenstore_watch_wait(&w->watch, deadline_ns, fired, sizeof(fired));
	return rc == -EOVERFLOW ? 0 : rc;
}

void xenbus_unwatch_device(struct xenbus_device_watch *w)
{
	if (w->watched)
		(void)xenstore_unwatch(&w->watch);
	w->watched = false;
}

#define FOLLOW_POLL_NS (250ull * 1000 * 1000)
#define REATTACH_POLL_NS (1000ull * 1000 * 1000)

static enum xenbus_follow follow_connected(struct xenbus_device *dev,
					   bool broken)
{
	int state;

	/* A broken ring goes whatever the backend's state (even one we
	 * cannot read: a hostile backend may write garbage there). */
	if (broken)
		return XENBUS_FOLLOW_DISCONNECT;
	state = xenbus_wait_backend_change(dev, XenbusStateConnected,
					   timer_now_ns() + FOLLOW_POLL_NS);

	if (state == -ETIMEDOUT || state == XenbusStateConnected)
		return XENBUS_FOLLOW_STAY;
	if (state < 0 && state != -ENOENT) {
		/* Xenstore trouble, not the backend: look again later. */
		log_warn("%s: reading backend state failed (%d)", dev->node,
			 state);
		thread_sleep_ns(FOLLOW_POLL_NS);
		return XENBUS_FOLLOW_STAY;
	}
	log_info("%s: backend state %d: disconnecting", dev->node, state);
	return XENBUS_FOLLOW_DISCONNECT;
}

enum xenbus_follow xenbus_follow(struct xenbus_device *dev,
				 struct xenbus_device_watch *w,
				 const char *type, const char *id,
				 bool connected, bool broken)
{
	int state;

	if (connected) {
		w->failures = 0;
		return follow_connected(dev, broken);
	}
	state = xenbus_probe_backend(type, id);
	if (state == XenbusStateInitWait || state == XenbusStateClosed)
		return XENBUS_FOLLOW_CONNECT;
	(void)xenbus_wait_device(w, type, id,
				 timer_now_ns() + REATTACH_POLL_NS);
	return XENBUS_FOLLOW_STAY;
}

/* Waits double with each failure in a row, up to about a minute: a
 * backend that keeps failing our connects (and may keep our pages mapped,
 * which xenshare then leaks) cannot make us spin. Events on the device are
 * not waited for here: our own writes there would end the wait at once. */
#define BACKOFF_MAX_SHIFT 6

void xenbus_follow_backoff(struct xenbus_device_watch *w, const bool *stop)
{
	unsigned shift = w->failures < BACKOFF_MAX_SHIFT ? w->failures
							 : BACKOFF_MAX_SHIFT;
	uint64_t end = timer_now_ns() + (REATTACH_POLL_NS << shift);

	w->failures++;
	while (!*stop && timer_now_ns() < end)
		thread_sleep_ns(FOLLOW_POLL_NS);
}
