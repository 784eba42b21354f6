/*
 * Boot test mem-all: every free page can be taken, written, read back and
 * given back, first straight from the page allocator and then through
 * malloc (which grows the heap from the same pages).
 *
 * Bookkeeping lives inside the blocks themselves (an intrusive list in the
 * first words of each block), so the test needs no memory of its own while
 * it holds everything. Nothing is printed while all memory is held: newlib
 * could want to allocate for the output.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "kernel/heap.h"
#include "kernel/page_alloc.h"

#define NAME "mem-all"
#define PAGE_SIZE 4096ULL
#define CHUNK_SIZE (1024 * 1024)
#define SEED_PAGES 0x5a5aa5a5c3c33c3cULL
#define SEED_MALLOC 0x0123456789abcdefULL

/* Header at the start of every block held by the test. */
struct block {
	struct block *next;
	uint64_t size; /* bytes, header included */
};

/* Every word after the header holds its own address xor the seed, so a
 * page mapped twice or a word written through a wrong address shows up. */
static void pattern_fill(struct block *b, uint64_t seed)
{
	uint64_t *w = (uint64_t *)(b + 1);
	uint64_t *end = (uint64_t *)((char *)b + b->size);

	for (; w < end; w++)
		*w = (uint64_t)(uintptr_t)w ^ seed;
}

/* Returns the number of wrong words. */
static uint64_t pattern_check(const struct block *b, uint64_t seed)
{
	const uint64_t *w = (const uint64_t *)(b + 1);
	const uint64_t *end = (const uint64_t *)((const char *)b + b->size);
	uint64_t bad = 0;

	for (; w < end; w++)
		if (*w != ((uint64_t)(uintptr_t)w ^ seed))
			bad++;
	return bad;
}

static struct block *push(struct block *head, void *p, uint64_t size)
{
	struct block *b = p;

	b->next = head;
	b->size = size;
	return b;
}

struct page_result {
	uint64_t blocks, pages, left_after, bad_words;
	uint64_t per_order[PAGE_ALLOC_MAX_ORDER + 1];
};

/* Take every block the allocator has, largest orders first. */
static struct block *take_all_pages(struct page_result *r)
{
	struct block *head = NULL;
	int order;

	for (order = PAGE_ALLOC_MAX_ORDER; order >= 0; order--) {
		void *p;

		while ((p = page_alloc((unsigned)order)) != NULL) {
			head = push(head, p, PAGE_SIZE << order);
			r->blocks++;
			r->pages += 1ULL << order;
			r->per_order[order]++;
		}
	}
	return head;
}

static bool test_pages(uint64_t *pages)
{
	struct page_result r = { 0 };
	uint64_t total = page_alloc_total_pages();
	uint64_t start = page_alloc_free_pages();
	uint64_t end;
	struct block *head, *b, *next;
	int order;

	printf("pages: %llu total, %llu free at start (%llu KiB)\n",
	       (unsigned long long)total, (unsigned long long)start,
	       (unsigned long long)(start * PAGE_SIZE / 1024));
	fflush(stdout);

	head = take_all_pages(&r);
	r.left_after = page_alloc_free_pages();
	for (b = head; b; b = b->next)
		pattern_fill(b, SEED_PAGES);
	for (b = head; b; b = b->next)
		r.bad_words += pattern_check(b, SEED_PAGES);
	for (b = head; b; b = next) {
		next = b->next;
		page_free(b, page_order_for(b->size));
	}
	end = page_alloc_free_pages();

	printf("pages: took %llu pages in %llu blocks (",
	       (unsigned long long)r.pages, (unsigned long long)r.blocks);
	for (order = PAGE_ALLOC_MAX_ORDER; order >= 0; order--)
		if (r.per_order[order])
			printf(" o%d:%llu", order,
			       (unsigned long long)r.per_order[order]);
	printf(" ), %llu free while held, %llu bad words, %llu free after\n",
	       (unsigned long long)r.left_after,
	       (unsigned long long)r.bad_words, (unsigned long long)end);

	if (r.pages != start || r.left_after != 0) {
		printf("TEST FAIL " NAME ": took %llu pages of %llu free, "
		       "%llu left free while all were held\n",
		       (unsigned long long)r.pages, (unsigned long long)start,
		       (unsigned long long)r.left_after);
		return false;
	}
	if (r.bad_words) {
		printf("TEST FAIL " NAME ": %llu words of the page pattern "
		       "read back wrong\n",
		       (unsigned long long)r.bad_words);
		return false;
	}
	if (end != start) {
		printf("TEST FAIL " NAME ": %llu pages free after freeing "
		       "all, %llu at start\n",
		       (unsigned long long)end, (unsigned long long)start);
		return false;
	}
	*pages = start;
	return true;
}

struct malloc_result {
	uint64_t chunks, bad_words;
};

/* One round: malloc 1 MiB chunks until NULL, pattern, verify, free. */
static void malloc_round(struct malloc_result *r, uint64_t seed)
{
	struct block *head = NULL, *b, *next;
	void *p;

	r->chunks = 0;
	r->bad_words = 0;
	while ((p = malloc(CHUNK_SIZE)) != NULL) {
		head = push(head, p, CHUNK_SIZE);
		r->chunks++;
	}
	for (b = head; b; b = b->next)
		pattern_fill(b, seed);
	for (b = head; b; b = b->next)
		r->bad_words += pattern_check(b, seed);
	for (b = head; b; b = next) {
		next = b->next;
		free(b);
	}
}

static bool test_malloc(uint64_t *mib)
{
	struct malloc_result r1, r2;
	uint64_t free_before = page_alloc_free_pages();

	printf("malloc: %llu pages free, heap %llu KiB before\n",
	       (unsigned long long)free_before,
	       (unsigned long long)(heap_size() / 1024));
	fflush(stdout);
	malloc_round(&r1, SEED_MALLOC);
	printf("malloc: round 1: %llu MiB in 1 MiB chunks, %llu bad words, "
	       "heap %llu KiB, %llu pages free after free()\n",
	       (unsigned long long)r1.chunks, (unsigned long long)r1.bad_words,
	       (unsigned long long)(heap_size() / 1024),
	       (unsigned long long)page_alloc_free_pages());
	fflush(stdout);
	malloc_round(&r2, ~SEED_MALLOC);
	printf("malloc: round 2: %llu MiB in 1 MiB chunks, %llu bad words, "
	       "heap %llu KiB, %llu pages free after free()\n",
	       (unsigned long long)r2.chunks, (unsigned long long)r2.bad_words,
	       (unsigned long long)(heap_size() / 1024),
	       (unsigned long long)page_alloc_free_pages());

	*mib = r1.chunks;
	/* Most free memory must be reachable through malloc: allow a quarter
	 * for the heap's own overhead and rounding of a small heap. */
	if (r1.chunks == 0 ||
	    r1.chunks * CHUNK_SIZE < free_before * PAGE_SIZE * 3 / 4) {
		printf("TEST FAIL " NAME ": malloc gave only %llu MiB with "
		       "%llu KiB free\n",
		       (unsigned long long)r1.chunks,
		       (unsigned long long)(free_before * PAGE_SIZE / 1024));
		return false;
	}
	if (r1.bad_words || r2.bad_words) {
		printf("TEST FAIL " NAME ": %llu + %llu words of the malloc "
		       "pattern read back wrong\n",
		       (unsigned long long)r1.bad_words,
		       (unsigned long long)r2.bad_words);
		return false;
	}
	if (r2.chunks != r1.chunks) {
		printf("TEST FAIL " NAME ": malloc gave %llu MiB the first "
		       "time, %llu MiB after freeing it all\n",
		       (unsigned long long)r1.chunks,
		       (unsigned long long)r2.chunks);
		return false;
	}
	return true;
}

int main(void)
{
	uint64_t pages = 0, mib = 0;

	printf(NAME ": start\n");
	if (!test_pages(&pages))
		return 1;
	if (!test_malloc(&mib))
		return 1;
	printf("TEST PASS " NAME ": %llu pages (%llu KiB) allocated, "
	       "patterned, verified and freed; malloc gave %llu MiB twice\n",
	       (unsigned long long)pages,
	       (unsigned long long)(pages * PAGE_SIZE / 1024),
	       (unsigned long long)mib);
	return 0;
}
