/*
 * Boot test mutex-pingpong: two threads hand a turn back and forth
 * through a mutex and one condition variable each, 10000 turns apiece.
 * Each turn checks that the shared sequence number says it is really this
 * thread's turn (even for ping, odd for pong), so a skipped or doubled
 * turn is caught where it happens.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "kernel/sched.h"
#include "kernel/sync.h"

#define NAME "mutex-pingpong"
#define TURNS 10000

struct player {
	const char *name;
	unsigned me; /* 0 or 1 */
	struct cond my_turn;
	struct player *other;
	uint64_t turns, waits;
	uint64_t bad_seq; /* turns taken when seq was not ours */
};

static struct mutex lock;
static unsigned turn;
static uint64_t seq;

static void play(void *arg)
{
	struct player *p = arg;
	int i;

	for (i = 0; i < TURNS; i++) {
		mutex_lock(&lock);
		while (turn != p->me) {
			p->waits++;
			cond_wait(&p->my_turn, &lock);
		}
		if (seq % 2 != p->me)
			p->bad_seq++;
		seq++;
		p->turns++;
		turn = p->other->me;
		cond_signal(&p->other->my_turn);
		mutex_unlock(&lock);
	}
}

int main(void)
{
	struct player ping = { .name = "ping", .me = 0 };
	struct player pong = { .name = "pong", .me = 1 };
	struct thread *a, *b;

	ping.other = &pong;
	pong.other = &ping;
	cond_init(&ping.my_turn);
	cond_init(&pong.my_turn);
	mutex_init(&lock, false);
	printf(NAME ": two threads, %d turns each\n", TURNS);

	a = thread_create(ping.name, play, &ping, 0);
	b = thread_create(pong.name, play, &pong, 0);
	if (!a || !b) {
		printf("TEST FAIL " NAME ": thread_create failed\n");
		return 1;
	}
	(void)thread_join(a);
	(void)thread_join(b);

	printf(NAME ": seq %llu, ping %llu turns (%llu waits, %llu out of "
		    "turn), pong %llu turns (%llu waits, %llu out of turn)\n",
	       (unsigned long long)seq, (unsigned long long)ping.turns,
	       (unsigned long long)ping.waits, (unsigned long long)ping.bad_seq,
	       (unsigned long long)pong.turns, (unsigned long long)pong.waits,
	       (unsigned long long)pong.bad_seq);
	if (seq != 2 * TURNS || ping.turns != TURNS || pong.turns != TURNS) {
		printf("TEST FAIL " NAME ": seq %llu, want %d\n",
		       (unsigned long long)seq, 2 * TURNS);
		return 1;
	}
	if (ping.bad_seq || pong.bad_seq) {
		printf("TEST FAIL " NAME ": %llu turns taken out of order\n",
		       (unsigned long long)(ping.bad_seq + pong.bad_seq));
		return 1;
	}
	printf("TEST PASS " NAME ": %d strict alternations, seq %llu, no "
	       "turn skipped or doubled\n",
	       2 * TURNS, (unsigned long long)seq);
	return 0;
}
