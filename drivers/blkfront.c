/*
 * Blkfront: the frontend of a Xen virtual block device, one queue
 * (xen/include/public/io/blkif.h, with io/ring.h for the ring). This file
 * is the control path: attaching every disk at boot, connecting and
 * disconnecting (the page pool, the ring, the xenstore handshake), and
 * the control thread that follows the backend. The data path (requests,
 * responses, the blkdev operations) is in drivers/blkfront_data.c; the
 * state both share, and the lock that guards it, in
 * drivers/blkfront_priv.h.
 *
 * Xenstore. Reads device/vbd/<id>/virtual-device (the disk's name) and,
 * from the backend: max-ring-page-order and feature-max-indirect-segments
 * when it waits for us (InitWait); sectors (in 512-byte units, as Linux's
 * blkback writes it), sector-size, info, mode, feature-flush-cache,
 * feature-barrier, feature-discard and feature-persistent once it is
 * Connected. Writes ring-ref (or ring-page-order and ring-ref0..N-1),
 * event-channel, protocol and feature-persistent=1, then Initialised;
 * Connected once the backend is. The xenbus helper owns the handshake.
 *
 * Memory. Each connection grants the ring pages and BLKFRONT_POOL_PAGES
 * data pages to the backend; disconnecting revokes and frees them, and
 * leaks (rather than reuses) a page the backend still maps.
 *
 * Contexts. The event handler runs in upcall context and only wakes
 * threads. Callers' threads run their own requests (blkfront_data.c).
 * The control thread watches the backend's state, fails what is in
 * flight and tears the connection down when the backend goes away, and
 * reconnects when the toolstack creates the device again.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <xen/io/protocols.h>

#define LOG_TAG "blkfront"
#include "drivers/blkfront_priv.h"
#include "kernel/fmt.h"
#include "kernel/log.h"
#include "kernel/page_alloc.h"
#include "kernel/timer.h"
#include "lib/cmdline.h"

#define OPEN_TIMEOUT_NS (10000 * MS)
#define CONNECT_TIMEOUT_NS (10000 * MS)
#define CLOSE_TIMEOUT_NS (5000 * MS)
#define CONTROL_STACK (32 * 1024)

/* Options that turn the protocol's features down, for tests and for
 * measuring what each feature is worth (make bench-blk). */
static uint64_t opt_queue_value;
static bool opt_persistent_value = true;
static uint64_t opt_ring_order_value = BLKFRONT_MAX_RING_ORDER;
static uint64_t opt_max_segs_value = BLKFRONT_MAX_SEGS;

/* At most this many ring requests out per disk (0: as many as the ring
 * holds); fewer out means more queued, and queued requests merge. */
CMDLINE_OPTION(opt_queue) = { .name = "blk_queue",
			      .type = CMDLINE_UINT,
			      .dest = &opt_queue_value,
			      .max = BLKFRONT_MAX_RING };
/* The largest ring we ask for, as a power of two of pages. */
CMDLINE_OPTION(opt_ring_order) = { .name = "blk_ring_order",
				   .type = CMDLINE_UINT,
				   .dest = &opt_ring_order_value,
				   .max = BLKFRONT_MAX_RING_ORDER };
/* Segments per request: 11 or less means no indirect requests. */
CMDLINE_OPTION(opt_max_segs) = { .name = "blk_max_segs",
				 .type = CMDLINE_UINT,
				 .dest = &opt_max_segs_value,
				 .max = BLKFRONT_MAX_SEGS };
/* 0: do not offer persistent grants (the backend then maps and unmaps
 * our pages for every request). */
CMDLINE_OPTION(opt_persistent) = { .name = "blk_persistent",
				   .type = CMDLINE_FLAG,
				   .dest = &opt_persistent_value };

/* --- pages shared with the backend ----------------------------------------
 */

/* Undo setup_shared(), whatever part of it was done. The backend must have
 * let go (xenbus_close()) or been told nothing yet; what it still maps is
 * leaked (drivers/xenshare.h). */
static void release_shared(struct blkfront_dev *dev)
{
	unsigned leaked;

	if (dev->ring_set_up)
		xenring_teardown(&dev->xring);
	dev->ring_set_up = false;
	leaked = xenshare_pages_free(dev->pool, BLKFRONT_POOL_PAGES);
	if (leaked)
		log_err("%s: backend still maps %u pool pages; leaked",
			dev->blk.name, leaked);
}

/* The pool (data pages, then an indirect page per ring slot) and the
 * ring of 2^ring_order pages. */
static int setup_shared(struct blkfront_dev *dev)
{
	uint16_t domid = dev->xb.backend_id;
	int rc = xenshare_pages_alloc(dev->pool, BLKFRONT_POOL_PAGES, domid,
				      false);

	if (rc != 0)
		return rc;
	rc = xenring_setup(&dev->xring, domid, dev->ring_order, blkfront_event,
			   dev);
	if (rc != 0) {
		(void)xenshare_pages_free(dev->pool, BLKFRONT_POOL_PAGES);
		return rc;
	}
	dev->ring_set_up = true;
	SHARED_RING_INIT((struct blkif_sring *)xenring_page(&dev->xring));
	FRONT_RING_INIT(&dev->ring,
			(struct blkif_sring *)xenring_page(&dev->xring),
			xenring_bytes(&dev->xring));
	dev->ring_size = RING_SIZE(&dev->ring);
	dev->max_out = (unsigned)opt_queue_value;
	if (dev->max_out == 0 || dev->max_out > dev->ring_size)
		dev->max_out = dev->ring_size;
	return 0;
}

/* --- the handshake -----------------------------------------------------------
 */

static int read_backend_features(struct blkfront_dev *dev)
{
	uint64_t order, indirect;
	int rc;

	rc = xenbus_read_backend_uint(&dev->xb, "max-ring-page-order", 0,
				      &order);
	if (rc == 0)
		rc = xenbus_read_backend_uint(&dev->xb,
					      "feature-max-indirect-segments",
					      0, &indirect);
	if (rc != 0)
		return rc;
	dev->ring_order = order < opt_ring_order_value
				  ? (unsigned)order
				  : (unsigned)opt_ring_order_value;
	dev->max_segs = blkif_max_segs(indirect, (unsigned)opt_max_segs_value);
	return 0;
}

static void set_key(struct xenbus_key *k, const char *name, unsigned value)
{
	k->name = name;
	fmt_snprintf(k->value, sizeof(k->value), "%u", value);
}

static int write_keys_and_connect(struct blkfront_dev *dev)
{
	static const char *const ring_ref_names[] = { "ring-ref0", "ring-ref1",
						      "ring-ref2",
						      "ring-ref3" };
	struct xenbus_key keys[4 + (1u << BLKFRONT_MAX_RING_ORDER)];
	size_t n = 0;
	unsigned i;

	_Static_assert(sizeof(ring_ref_names) / sizeof(ring_ref_names[0]) ==
			       1u << BLKFRONT_MAX_RING_ORDER,
		       "a name for every ring page");
	if (dev->ring_order == 0) {
		set_key(&keys[n++], "ring-ref", xenring_ref(&dev->xring, 0));
	} else {
		set_key(&keys[n++], "ring-page-order", dev->ring_order);
		for (i = 0; i < (1u << dev->ring_order); i++)
			set_key(&keys[n++], ring_ref_names[i],
				xenring_ref(&dev->xring, i));
	}
	set_key(&keys[n++], "event-channel", dev->xring.port);
	keys[n].name = "protocol";
	fmt_snprintf(keys[n++].value, sizeof(keys[0].value), "%s",
		     XEN_IO_PROTO_ABI_NATIVE);
	/* Our pool's grants are reused whatever the backend does. */
	set_key(&keys[n++], "feature-persistent", opt_persistent_value ? 1 : 0);
	return xenbus_connect(&dev->xb, keys, n, XenbusStateInitialised,
			      timer_now_ns() + CONNECT_TIMEOUT_NS);
}

/* What the backend says about the disk, once it is Connected. */
static int read_disk(struct blkfront_dev *dev, uint64_t *size,
		     uint32_t *sector_size, bool *readonly)
{
	uint64_t sectors, ssize, info, flush, barrier, discard, persistent;
	char mode[8] = "";
	int rc;

	rc = xenbus_read_backend_uint(&dev->xb, "sectors", 0, &sectors);
	if (rc == 0)
		rc = xenbus_read_backend_uint(&dev->xb, "sector-size", 512,
					      &ssize);
	if (rc == 0)
		rc = xenbus_read_backend_uint(&dev->xb, "info", 0, &info);
	if (rc == 0)
		rc = xenbus_read_backend_uint(&dev->xb, "feature-flush-cache",
					      0, &flush);
	if (rc == 0)
		rc = xenbus_read_backend_uint(&dev->xb, "feature-barrier", 0,
					      &barrier);
	if (rc == 0)
		rc = xenbus_read_backend_uint(&dev->xb, "feature-discard", 0,
					      &discard);
	/* Linux's blkback says whether it keeps our grants mapped only
	 * when it connects, having read our feature-persistent. */
	if (rc == 0)
		rc = xenbus_read_backend_uint(&dev->xb, "feature-persistent", 0,
					      &persistent);
	if (rc != 0)
		return rc;
	(void)xenbus_read_backend(&dev->xb, "mode", mode, sizeof(mode));
	if (!blkif_sector_size_ok(ssize) || sectors > UINT64_MAX / 512 ||
	    (sectors * BLKIF_SECTOR) % ssize != 0) {
		log_err("%s: unusable disk: %llu sectors, sector-size %llu",
			dev->xb.node, (unsigned long long)sectors,
			(unsigned long long)ssize);
		return -EINVAL;
	}
	*size = sectors * BLKIF_SECTOR;
	*sector_size = (uint32_t)ssize;
	*readonly = (info & VDISK_READONLY) || strcmp(mode, "r") == 0;
	dev->flush = flush == 1;
	dev->barrier = barrier == 1;
	dev->discard = discard == 1;
	dev->persistent = persistent == 1;
	return 0;
}

/* Open the device, set everything up and connect. On failure nothing is
 * left: no watch, no grant, no page. Control thread or attach. */
static int connect_dev(struct blkfront_dev *dev)
{
	uint64_t size = 0;
	uint32_t sector_size = 0;
	bool readonly = false;
	int rc = xenbus_open(&dev->xb, "vbd", dev->id,
			     timer_now_ns() + OPEN_TIMEOUT_NS);

	if (rc != 0)
		return rc;
	rc = read_backend_features(dev);
	if (rc == 0)
		rc = setup_shared(dev);
	if (rc == 0)
		rc = write_keys_and_connect(dev);
	if (rc == 0)
		rc = read_disk(dev, &size, &sector_size, &readonly);
	if (rc != 0)
		goto err_close;
	mutex_lock(&dev->lock);
	dev->blk.size = size;
	dev->blk.sector_size = sector_size;
	dev->blk.readonly = readonly;
	blkfront_reset_slots(dev);
	dev->broken = false;
	dev->up = true;
	mutex_unlock(&dev->lock);
	log_info("%s: %s, %llu bytes, %u-byte sectors%s; ring %u pages (%u "
		 "requests out), %u segments per request, flush %s, discard "
		 "%s, persistent grants %s",
		 dev->xb.node, dev->blk.name, (unsigned long long)size,
		 sector_size, readonly ? ", read-only" : "",
		 1u << dev->ring_order, dev->max_out, dev->max_segs,
		 dev->flush ? "on" : (dev->barrier ? "barrier" : "off"),
		 dev->discard ? "on" : "off", dev->persistent ? "on" : "off");
	return 0;

err_close:
	/* Close before revoking: the backend may have mapped the pages. */
	(void)xenbus_close(&dev->xb, timer_now_ns() + CLOSE_TIMEOUT_NS);
	release_shared(dev);
	return rc;
}

/* Fail what is in flight, close the handshake, revoke and free. Control
 * thread. */
static void disconnect_dev(struct blkfront_dev *dev)
{
	mutex_lock(&dev->lock);
	dev->up = false;
	blkfront_fail_all(dev, -EIO);
	mutex_unlock(&dev->lock);
	(void)xenbus_close(&dev->xb, timer_now_ns() + CLOSE_TIMEOUT_NS);
	release_shared(dev);
	dev->stats.disconnects++;
	log_info("%s: %s detached", dev->xb.node, dev->blk.name);
}

/* --- the control thread: follow the backend --------------------------------
 */

/* Reconnect after a detach or our own close. */
static void reconnect(struct blkfront_dev *dev)
{
	int rc = connect_dev(dev);

	if (rc == 0) {
		dev->stats.reconnects++;
		return;
	}
	log_warn("device/vbd/%s: reconnecting failed (%d)", dev->id, rc);
	xenbus_follow_backoff(&dev->reattach, &dev->stopping);
}

static void control_main(void *arg)
{
	struct blkfront_dev *dev = arg;

	while (!dev->stopping) {
		switch (xenbus_follow(&dev->xb, &dev->reattach, "vbd", dev->id,
				      dev->up, dev->broken)) {
		case XENBUS_FOLLOW_DISCONNECT:
			disconnect_dev(dev);
			break;
		case XENBUS_FOLLOW_CONNECT:
			reconnect(dev);
			break;
		case XENBUS_FOLLOW_STAY:
			break;
		}
	}
	xenbus_unwatch_device(&dev->reattach);
}

/* --- attaching at boot -------------------------------------------------------
 */

/* The counters, for `xl sysrq m` (kernel/report.h). They are 64-bit
 * words written under the device's lock on our single vCPU: a report may
 * mix moments, never tear a value. */
static void report(void *arg)
{
	const struct blkfront_dev *dev = arg;
	const struct blkfront_stats *s = &dev->stats;
	unsigned i;

	log_info("%s (device/vbd/%s): %s; %llu requests from above, %llu "
		 "ring requests, %llu merged; %llu bytes read, %llu written; "
		 "%llu flushes, %llu discards; %llu failed; %llu ring errors, "
		 "%llu disconnects, %llu reconnects",
		 dev->blk.name, dev->id, dev->up ? "connected" : "detached",
		 (unsigned long long)s->ios, (unsigned long long)s->requests,
		 (unsigned long long)s->merged,
		 (unsigned long long)s->bytes_read,
		 (unsigned long long)s->bytes_written,
		 (unsigned long long)s->flushes,
		 (unsigned long long)s->discards, (unsigned long long)s->errors,
		 (unsigned long long)s->ring_errors,
		 (unsigned long long)s->disconnects,
		 (unsigned long long)s->reconnects);
	for (i = 1; i < BLKIF_V_COUNT; i++)
		if (s->bad_rsp[i])
			log_info("%s: %llu responses %s", dev->blk.name,
				 (unsigned long long)s->bad_rsp[i],
				 blkif_verdict_name(i));
}

/* The disk's name from device/vbd/<id>/virtual-device. */
static int read_name(struct blkfront_dev *dev)
{
	char path[XENBUS_PATH_MAX];
	unsigned disk, part;
	uint64_t vdev;
	int rc;

	if (fmt_snprintf(path, sizeof(path), "device/vbd/%s/virtual-device",
			 dev->id) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	rc = xenstore_read_uint(XENSTORE_TX_NONE, path, &vdev);
	if (rc == 0)
		rc = blkif_vdev_decode(vdev, &disk, &part);
	if (rc == 0)
		rc = blkif_disk_name(disk, part, dev->blk.name,
				     sizeof(dev->blk.name));
	if (rc != 0)
		log_err("device/vbd/%s: bad virtual-device (%d)", dev->id, rc);
	return rc;
}

static int parse_handle(const char *id, unsigned *out)
{
	unsigned v = 0;

	if (!*id)
		return -EINVAL;
	for (; *id; id++) {
		if (*id < '0' || *id > '9')
			return -EINVAL;
		v = v * 10 + (unsigned)(*id - '0');
		if (v > 0xffffu) /* a handle is 16 bits in every request */
			return -EINVAL;
	}
	*out = v;
	return 0;
}

static void free_dev(struct blkfront_dev *dev)
{
	page_free(dev, page_order_for(sizeof(*dev)));
}

static int attach(const char *id)
{
	struct blkfront_dev *dev;
	int rc;

	if (strlen(id) >= BLKFRONT_ID_MAX)
		return -EINVAL;
	dev = page_alloc(page_order_for(sizeof(*dev)));
	if (!dev)
		return -ENOMEM;
	memset(dev, 0, sizeof(*dev));
	memcpy(dev->id, id, strlen(id) + 1);
	rc = parse_handle(id, &dev->handle);
	if (rc == 0)
		rc = read_name(dev);
	if (rc != 0)
		goto err_free;
	mutex_init(&dev->lock, false);
	dev->blk.ops = &blkfront_blkdev_ops;
	dev->blk.priv = dev;
	rc = connect_dev(dev);
	if (rc != 0)
		goto err_free;
	rc = blkdev_register(&dev->blk);
	if (rc != 0)
		goto err_disconnect;
	dev->control =
		thread_create("blkfront-ctl", control_main, dev, CONTROL_STACK);
	if (!dev->control) {
		rc = -ENOMEM;
		goto err_unregister;
	}
	dev->report = (struct report_source){ .name = "blkfront",
					      .report = report,
					      .arg = dev };
	report_register(&dev->report);
	return 0;

err_unregister:
	blkdev_unregister(&dev->blk);
err_disconnect:
	disconnect_dev(dev);
err_free:
	free_dev(dev);
	return rc;
}

int blkfront_init(void)
{
	char ids[512];
	const char *p;
	size_t count;
	int n = 0, rc = xenbus_list_devices("vbd", ids, sizeof(ids), &count);

	if (rc != 0) {
		log_err("listing device/vbd failed (%d)", rc);
		return 0;
	}
	for (p = ids; count--; p += strlen(p) + 1) {
		rc = attach(p);
		if (rc == 0)
			n++;
		else
			log_err("device/vbd/%s: not attached (%d)", p, rc);
	}
	return n;
}
