/* A main() for the fuzz targets when they are built without libFuzzer:
   run LLVMFuzzerTestOneInput() once on every file given, and on every
   regular file inside the directories given (recursively, in name
   order, skipping names that start with a dot). Each input is copied
   into a buffer of exactly its size, so that a sanitizer build catches
   reads past the end as libFuzzer would.

   Prints "fuzz-replay: <N> inputs from <paths>" and exits 0, or 1 if no
   input was found or a file could not be read. A violated invariant
   abort()s inside the target, as under libFuzzer. */

#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned int replay_count = 0;
static bool replay_failed = false;

static void replay_file(const char *path, size_t size)
{
	uint8_t *buf;
	FILE *f;

	/* malloc(0) may return NULL; keep a valid pointer. */
	buf = malloc(size == 0 ? 1 : size);
	if (buf == NULL) {
		fprintf(stderr, "fuzz-replay: %s: out of memory\n", path);
		replay_failed = true;
		return;
	}
	f = fopen(path, "rb");
	if (f == NULL || fread(buf, 1, size, f) != size) {
		fprintf(stderr, "fuzz-replay: %s: %s\n", path,
			f == NULL ? strerror(errno) : "short read");
		replay_failed = true;
	} else {
		(void)LLVMFuzzerTestOneInput(buf, size);
		replay_count++;
	}
	if (f != NULL)
		fclose(f);
	free(buf);
}

static int replay_filter(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void replay_path(const char *path)
{
	struct dirent **names;
	struct stat st;
	char *child;
	size_t len;
	int i, count;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "fuzz-replay: %s: %s\n", path,
			strerror(errno));
		replay_failed = true;
		return;
	}
	if (S_ISREG(st.st_mode)) {
		replay_file(path, (size_t)st.st_size);
		return;
	}
	if (!S_ISDIR(st.st_mode))
		return;

	count = scandir(path, &names, replay_filter, alphasort);
	if (count < 0) {
		fprintf(stderr, "fuzz-replay: %s: %s\n", path,
			strerror(errno));
		replay_failed = true;
		return;
	}
	for (i = 0; i < count; i++) {
		len = strlen(path) + 1 + strlen(names[i]->d_name) + 1;
		child = malloc(len);
		if (child == NULL) {
			replay_failed = true;
		} else {
			snprintf(child, len, "%s/%s", path,
				 names[i]->d_name);
			replay_path(child);
			free(child);
		}
		free(names[i]);
	}
	free(names);
}

int main(int argc, char *argv[])
{
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: %s <file or directory>...\n",
			argv[0]);
		return 2;
	}
	for (i = 1; i < argc; i++)
		replay_path(argv[i]);

	printf("fuzz-replay: %u inputs from", replay_count);
	for (i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");
	return replay_count == 0 || replay_failed ? 1 : 0;
}
