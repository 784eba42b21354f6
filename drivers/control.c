/*
 * Honouring the toolstack's requests.
 *
 * xl writes a word into control/shutdown ("poweroff", "reboot", "halt",
 * "suspend") or a key into control/sysrq; the guest acknowledges by
 * writing the node back empty, then acts. One watch on control/ covers
 * both nodes (xenstore watches fire for the whole subtree). The work runs
 * in its own thread, so a request is seen promptly even while the
 * application is blocked or busy.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#define LOG_TAG "control"
#include "drivers/control.h"
#include "drivers/xenstore.h"
#include "kernel/log.h"
#include "kernel/panic.h"
#include "kernel/report.h"

#define CONTROL_STACK (32 * 1024)

static struct control_state {
	struct xenstore_watch watch;
} ctl;

/* Read a request node and clear it. Returns 1 with the value, 0 if there
 * is no request, or a negative errno. */
static int take_request(const char *node, char *value, size_t size)
{
	int rc = xenstore_read(XENSTORE_TX_NONE, node, value, size);

	if (rc == -ENOENT || (rc == 0 && value[0] == '\0'))
		return 0;
	if (rc != 0)
		return rc;
	rc = xenstore_write(XENSTORE_TX_NONE, node, "");
	if (rc != 0)
		log_warn("cannot acknowledge %s (%d)", node, rc);
	return 1;
}

static void handle_shutdown(void)
{
	char req[32];
	int rc = take_request("control/shutdown", req, sizeof(req));

	if (rc <= 0) {
		if (rc < 0)
			log_err("reading control/shutdown failed (%d)", rc);
		return;
	}
	log_info("shutdown requested: %s", req);
	if (!strcmp(req, "poweroff") || !strcmp(req, "halt"))
		kernel_poweroff();
	if (!strcmp(req, "reboot"))
		kernel_reboot();
	if (!strcmp(req, "suspend"))
		log_warn("suspend is not supported yet; request ignored");
	else
		log_err("unknown shutdown request '%s' ignored", req);
}

static void handle_sysrq(void)
{
	char key[8];
	int rc = take_request("control/sysrq", key, sizeof(key));

	if (rc <= 0)
		return;
	log_info("sysrq '%c'", key[0]);
	switch (key[0]) {
	case 'o':
		kernel_poweroff();
	case 'b':
		kernel_reboot();
	case 'c':
		panic("crash requested by sysrq 'c'");
	case 'm':
		report_all();
		break;
	default:
		log_warn("sysrq '%c' is not supported", key[0]);
	}
}

static void control_thread(void *arg)
{
	char path[XENSTORE_WATCH_PATH_MAX];

	(void)arg;
	for (;;) {
		int rc = xenstore_watch_wait(&ctl.watch, 0, path, sizeof(path));

		/* -EOVERFLOW means events were lost: re-reading both nodes,
		 * as we always do, is exactly the recovery. */
		if (rc != 0 && rc != -EOVERFLOW) {
			log_err("control watch failed (%d); stopping", rc);
			return;
		}
		handle_shutdown();
		handle_sysrq();
	}
}

static void advertise(const char *feature)
{
	char node[48] = "control/";

	strncat(node, feature, sizeof(node) - strlen(node) - 1);
	/* Older toolstacks do not create these nodes writable for us; the
	 * requests work without them. */
	if (xenstore_write(XENSTORE_TX_NONE, node, "1") != 0)
		log_debug("cannot advertise %s", feature);
}

int control_init(void)
{
	struct thread *t;
	int rc;

	advertise("feature-poweroff");
	advertise("feature-reboot");
	rc = xenstore_watch("control", "control", &ctl.watch);
	if (rc != 0)
		return rc;
	t = thread_create("control", control_thread, NULL, CONTROL_STACK);
	if (!t) {
		(void)xenstore_unwatch(&ctl.watch);
		return -ENOMEM;
	}
	thread_detach(t);
	return 0;
}
