/* unit.h: what the unit tests share: removing their scratch directories */
#ifndef PALAVER_UNIT_H
#define PALAVER_UNIT_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* unit_rmdir: remove the directory and the files in it (the tests make no
 * deeper trees).  "" does nothing. */
static inline void
unit_rmdir(const char *dir)
{
	struct dirent	*e;
	DIR		*d;
	char		 p[512];

	if (dir[0] == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

#endif
