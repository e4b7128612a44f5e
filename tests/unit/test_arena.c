/* test_arena.c: the request arena, in its chunked (release) form */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

/* The release build carves objects from chunks; the sanitizer build gives
 * each its own block.  Test the chunked code here, renamed so it does not
 * clash with the arena.o the test is linked with. */
#define ARENA_TEST_CHUNKS
#define arena_alloc	chunked_alloc
#define arena_calloc	chunked_calloc
#define arena_strdup	chunked_strdup
#define arena_strndup	chunked_strndup
#define arena_printf	chunked_printf
#define arena_reset	chunked_reset
#define arena_free	chunked_free
#include "../../src/core/arena.c"

static void
test_alignment_and_contents(void **state)
{
	struct arena	 a = { NULL, 0 };
	char		*p[1000];
	size_t		 i;

	(void)state;
	for (i = 0; i < 1000; i++) {
		p[i] = chunked_alloc(&a, i % 37 + 1);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % sizeof(max_align_t), 0);
		memset(p[i], (int)(i & 0xff), i % 37 + 1);
	}
	/* Nothing overlapped: each object still holds its own byte. */
	for (i = 0; i < 1000; i++)
		for (size_t k = 0; k < i % 37 + 1; k++)
			assert_int_equal((unsigned char)p[i][k], i & 0xff);
	chunked_free(&a);
	assert_null(a.head);
}

static void
test_large_and_reuse(void **state)
{
	struct arena	 a = { NULL, 0 };
	char		*small, *big, *after;
	struct ablk	*kept;

	(void)state;
	small = chunked_strdup(&a, "small");
	big = chunked_alloc(&a, 200000);	/* a block of its own */
	assert_non_null(big);
	memset(big, 'x', 200000);
	after = chunked_strdup(&a, "after");	/* still from the chunk */
	assert_string_equal(small, "small");
	assert_string_equal(after, "after");
	/* the big block went behind: small and after share the chunk */
	assert_true(after > small && after - small < 64);
	/* reset keeps one chunk for the next request, empty */
	chunked_reset(&a);
	kept = a.head;
	assert_non_null(kept);
	assert_null(kept->next);
	assert_int_equal(kept->used, 0);
	assert_string_equal(chunked_printf(&a, "%d-%s", 42, "x"), "42-x");
	assert_ptr_equal(a.head, kept);
	chunked_free(&a);
	assert_null(a.head);
	chunked_reset(NULL);
	chunked_free(NULL);
}

static void
test_many_chunks(void **state)
{
	struct arena	 a = { NULL, 0 };
	size_t		 i, n = 0;
	char		*p;

	(void)state;
	for (i = 0; i < 100000; i++) {
		p = chunked_calloc(&a, 1, 100);
		assert_non_null(p);
		assert_int_equal(p[99], 0);
		n += 100;
	}
	assert_int_equal(a.used, n);
	assert_null(chunked_calloc(&a, SIZE_MAX / 2, 4));
	assert_null(chunked_alloc(&a, SIZE_MAX));
	chunked_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alignment_and_contents),
		cmocka_unit_test(test_large_and_reuse),
		cmocka_unit_test(test_many_chunks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
