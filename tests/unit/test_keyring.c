/* test_keyring.c: the address keys' file: made 0600, read, rotated when
 * its period is over, the previous key kept, bad files refused */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "unit.h"

#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auth/auth.h"
#include "auth/keyring.h"

static char	 dir[64], path[128];

static int
setup(void **state)
{
	(void)state;
	if (auth_init() == -1)
		return -1;
	snprintf(dir, sizeof(dir), "/tmp/palaver-test-keyring-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/palaver.key", dir);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	keyring_close();
	unit_rmdir(dir);
	return 0;
}

static int
lines(char out[][128], int max)
{
	FILE	*f = fopen(path, "r");
	int	 n = 0;

	if (f == NULL)
		return -1;
	while (n < max && fgets(out[n], 128, f) != NULL)
		n++;
	fclose(f);
	return n;
}

static void
made_and_rotated(void **state)
{
	unsigned char	 c1[AUTH_SECRET_LEN], c2[AUTH_SECRET_LEN];
	unsigned char	 p[AUTH_SECRET_LEN];
	char		 err[256], l[4][128], stale[256];
	struct stat	 st;
	long long	 now = (long long)time(NULL), period = now / 86400 / 7;
	int		 hp;

	(void)state;
	/* Without create, a missing file is an error that says why. */
	assert_int_equal(keyring_open(path, 7, 0, err, sizeof(err)), -1);
	assert_non_null(strstr(err, path));
	assert_int_equal(keyring_keys(now, c1, p, &hp), -1);

	assert_int_equal(keyring_open(path, 7, 1, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(lines(l, 4), 1);
	assert_int_equal(strtoll(l[0], NULL, 10), period);
	assert_int_equal(keyring_keys(now, c1, p, &hp), 0);
	assert_int_equal(hp, 0);

	/* Opened again: the same key. */
	assert_int_equal(keyring_open(path, 7, 1, err, sizeof(err)), 0);
	assert_int_equal(keyring_keys(now, c2, p, &hp), 0);
	assert_memory_equal(c1, c2, sizeof(c1));

	/* Its period over: a new key, the old one kept as the previous. */
	assert_int_equal(keyring_keys(now + 8 * 86400, c2, p, &hp), 0);
	assert_int_equal(hp, 1);
	assert_memory_not_equal(c1, c2, sizeof(c1));
	assert_memory_equal(c1, p, sizeof(c1));
	assert_int_equal(lines(l, 4), 2);
	assert_int_equal(strtoll(l[0], NULL, 10), (now + 8 * 86400) / 86400 /
	    7);
	assert_int_equal(strtoll(l[1], NULL, 10), period);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* Another period: the oldest goes; only two are kept. */
	assert_int_equal(keyring_keys(now + 16 * 86400, c1, p, &hp), 0);
	assert_memory_equal(c2, p, sizeof(c2));
	assert_int_equal(lines(l, 4), 2);

	/* A file of an earlier period, read at start: rotated at once. */
	keyring_close();
	snprintf(stale, sizeof(stale), "%lld "
	    "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n",
	    period - 3);
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(stale, f);
		fclose(f);
	}
	assert_int_equal(keyring_open(path, 7, 1, err, sizeof(err)), 0);
	assert_int_equal(keyring_keys(now, c1, p, &hp), 0);
	assert_int_equal(hp, 1);
	assert_int_equal(p[0], 0x00);
	assert_int_equal(p[1], 0x11);
	assert_int_equal(lines(l, 4), 2);
}

static void
garbage_refused(void **state)
{
	char		 err[256];
	FILE		*f;
	unsigned char	 c[AUTH_SECRET_LEN], p[AUTH_SECRET_LEN];
	int		 hp;

	(void)state;
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a key\n12 zz\n", f);
	fclose(f);
	/* Read only: no key for now is an error. */
	assert_int_equal(keyring_open(path, 30, 0, err, sizeof(err)), -1);
	/* Allowed to write: a key is made. */
	assert_int_equal(keyring_open(path, 30, 1, err, sizeof(err)), 0);
	assert_int_equal(keyring_keys((long long)time(NULL), c, p, &hp), 0);
	assert_int_equal(hp, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(made_and_rotated, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(garbage_refused, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
