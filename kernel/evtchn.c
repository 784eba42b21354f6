/*
 * Event channels, 2-level ABI (xen/include/public/event_channel.h and the
 * shared_info layout in xen.h).
 *
 * Who writes what: Xen sets bits in shared_info.evtchn_pending and in the
 * vCPU's evtchn_pending_sel, then sets evtchn_upcall_pending; we clear them
 * in the reverse order (pending flag, selector word, port bit) before
 * running a handler, so an event that arrives during the handler is seen
 * again. evtchn_mask is ours alone.
 */
#include <errno.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/event_channel.h>

#define LOG_TAG "evtchn"
#include "arch/x86_64/cpu.h"
#include "arch/x86_64/hypercall.h"
#include "arch/x86_64/setup.h"
#include "kernel/evtchn.h"
#include "kernel/log.h"
#include "kernel/sched.h"
#include "kernel/xen_errno.h"

#define NR_PORTS (sizeof(xen_ulong_t) * 8 * sizeof(xen_ulong_t) * 8)
#define BITS_PER_WORD (sizeof(xen_ulong_t) * 8)

static struct evtchn_state {
	struct {
		evtchn_handler_fn fn;
		void *data;
	} ports[NR_PORTS];
	uint64_t upcalls;
} ev;

static struct shared_info *shared(void)
{
	return arch_shared_info();
}

void evtchn_mask(evtchn_port port)
{
	__atomic_fetch_or(&shared()->evtchn_mask[port / BITS_PER_WORD],
			  1UL << (port % BITS_PER_WORD), __ATOMIC_SEQ_CST);
}

void evtchn_unmask(evtchn_port port)
{
	struct shared_info *s = shared();
	struct vcpu_info *v = &s->vcpu_info[0];
	xen_ulong_t bit = 1UL << (port % BITS_PER_WORD);
	unsigned word = port / BITS_PER_WORD;

	__atomic_fetch_and(&s->evtchn_mask[word], ~bit, __ATOMIC_SEQ_CST);
	/* Xen only raises the upcall for a port when it becomes pending while
	 * unmasked; a port that went pending while masked needs us to raise
	 * the selector and flag ourselves (as xen.h prescribes). */
	if (__atomic_load_n(&s->evtchn_pending[word], __ATOMIC_SEQ_CST) & bit) {
		__atomic_fetch_or(&v->evtchn_pending_sel, 1UL << word,
				  __ATOMIC_SEQ_CST);
		v->evtchn_upcall_pending = 1;
		if (!v->evtchn_upcall_mask)
			(void)hypercall_xen_version(XENVER_version, NULL);
	}
}

void evtchn_init(void)
{
	unsigned i;

	for (i = 0; i < sizeof(shared()->evtchn_mask) / sizeof(xen_ulong_t);
	     i++)
		shared()->evtchn_mask[i] = ~(xen_ulong_t)0;
}

int evtchn_bind_port(evtchn_port port, evtchn_handler_fn fn, void *data)
{
	unsigned long flags;

	if (port >= NR_PORTS || !fn)
		return -EINVAL;
	flags = arch_irq_save();
	if (ev.ports[port].fn) {
		arch_irq_restore(flags);
		return -EINVAL;
	}
	ev.ports[port].fn = fn;
	ev.ports[port].data = data;
	arch_irq_restore(flags);
	evtchn_unmask(port);
	return 0;
}

/* A port Xen just gave us: attach the handler, or close it again. */
static int adopt_port(evtchn_port new_port, evtchn_handler_fn fn, void *data,
		      evtchn_port *port)
{
	int rc = evtchn_bind_port(new_port, fn, data);

	if (rc != 0) {
		evtchn_close(new_port);
		return rc;
	}
	*port = new_port;
	return 0;
}

int evtchn_bind_virq(unsigned virq, evtchn_handler_fn fn, void *data,
		     evtchn_port *port)
{
	struct evtchn_bind_virq op = { .virq = virq, .vcpu = 0 };
	int rc = xen_errno(hypercall_event_channel_op(EVTCHNOP_bind_virq, &op));

	if (rc != 0) {
		log_err("bind_virq %u failed (%d)", virq, rc);
		return rc;
	}
	return adopt_port(op.port, fn, data, port);
}

int evtchn_alloc_unbound(uint16_t remote_dom, evtchn_handler_fn fn, void *data,
			 evtchn_port *port)
{
	struct evtchn_alloc_unbound op = {
		.dom = DOMID_SELF,
		.remote_dom = remote_dom,
	};
	int rc = xen_errno(
		hypercall_event_channel_op(EVTCHNOP_alloc_unbound, &op));

	if (rc != 0) {
		log_err("alloc_unbound for domain %u failed (%d)", remote_dom,
			rc);
		return rc;
	}
	return adopt_port(op.port, fn, data, port);
}

int evtchn_bind_interdomain(uint16_t remote_dom, evtchn_port remote_port,
			    evtchn_handler_fn fn, void *data, evtchn_port *port)
{
	struct evtchn_bind_interdomain op = {
		.remote_dom = remote_dom,
		.remote_port = remote_port,
	};
	int rc = xen_errno(
		hypercall_event_channel_op(EVTCHNOP_bind_interdomain, &op));

	if (rc != 0) {
		log_err("bind_interdomain to %u:%u failed (%d)", remote_dom,
			remote_port, rc);
		return rc;
	}
	return adopt_port(op.local_port, fn, data, port);
}

void evtchn_close(evtchn_port port)
{
	struct evtchn_close op = { .port = port };

	if (port >= NR_PORTS)
		return;
	evtchn_mask(port);
	ev.ports[port].fn = NULL;
	/* Closing can fail only for a port that is not ours: nothing to
	 * undo then. */
	(void)hypercall_event_channel_op(EVTCHNOP_close, &op);
}

int evtchn_notify(evtchn_port port)
{
	struct evtchn_send op = { .port = port };

	return xen_errno(hypercall_event_channel_op(EVTCHNOP_send, &op));
}

static void handle_port(evtchn_port port)
{
	if (ev.ports[port].fn)
		ev.ports[port].fn(port, ev.ports[port].data);
	else
		log_warn("event on unbound port %u", port);
}

static void scan_pending(void)
{
	struct shared_info *s = shared();
	struct vcpu_info *v = &s->vcpu_info[0];
	xen_ulong_t sel;

	v->evtchn_upcall_pending = 0;
	sel = __atomic_exchange_n(&v->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	while (sel) {
		unsigned word = (unsigned)__builtin_ctzl(sel);
		xen_ulong_t pending;

		sel &= sel - 1;
		pending = s->evtchn_pending[word] & ~s->evtchn_mask[word];
		while (pending) {
			unsigned bit = (unsigned)__builtin_ctzl(pending);

			pending &= pending - 1;
			__atomic_fetch_and(&s->evtchn_pending[word],
					   ~(1UL << bit), __ATOMIC_SEQ_CST);
			handle_port(word * BITS_PER_WORD + bit);
		}
	}
}

void evtchn_upcall(struct trap_frame *f)
{
	ev.upcalls++;
	/* Loop: an event that arrives while handlers run sets the flag
	 * again. */
	do
		scan_pending();
	while (arch_shared_info()->vcpu_info[0].evtchn_upcall_pending);
	sched_preempt_point(f);
}

uint64_t evtchn_upcall_count(void)
{
	return ev.upcalls;
}
