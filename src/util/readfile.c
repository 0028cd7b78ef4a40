/* readfile.c: regular files only, read within what they said they hold
 * (see readfile.h). */
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

int at_open_regular(const char *path, int flags, struct stat *st)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY |
				    (flags & AT_READ_NO_LINK ? O_NOFOLLOW : 0));
	if (fd < 0)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

char *at_read_regular(const char *path, int flags, size_t max, size_t *len)
{
	struct stat st;
	int fd = at_open_regular(path, flags, &st);
	if (fd < 0)
		return NULL;
	/* the size it had when opened bounds the read: a file that grows
	 * while read is read as it was */
	size_t want = (unsigned long long)st.st_size < max ? (size_t)st.st_size
							   : max;
	char *text = malloc(want + 1);
	size_t got = 0;
	while (text && got < want) {
		ssize_t n = read(fd, text + got, want - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd);
	if (!text)
		return NULL;
	text[got] = '\0';
	*len = got;
	return text;
}
