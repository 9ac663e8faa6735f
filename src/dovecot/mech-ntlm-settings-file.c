/* Settings for the NTLM mechanism on Dovecot 2.3, which has no way for a
   plugin of the auth process to declare settings: a file of its own. It
   is read once, when the auth process loads the module (still as root,
   before it drops privileges), so it may be readable by root only. */

#include "lib.h"
#include "str.h"

#include "mech-ntlm-settings.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

/* The settings file is small; anything larger is a mistake. */
#define MECH_NTLM_CONFIG_MAX_SIZE (64 * 1024)

static int read_file(const char *path, bool missing_ok, string_t *text,
		     const char **error_r)
{
	char buf[4096];
	ssize_t ret;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd == -1) {
		if (errno == ENOENT && missing_ok)
			return 0;
		*error_r = t_strdup_printf("open(%s) failed: %m", path);
		return -1;
	}
	while ((ret = read(fd, buf, sizeof(buf))) > 0) {
		if (str_len(text) + (size_t)ret > MECH_NTLM_CONFIG_MAX_SIZE) {
			*error_r = t_strdup_printf("%s: file too large", path);
			i_close_fd(&fd);
			return -1;
		}
		str_append_data(text, buf, (size_t)ret);
	}
	if (ret < 0) {
		*error_r = t_strdup_printf("read(%s) failed: %m", path);
		i_close_fd(&fd);
		return -1;
	}
	i_close_fd(&fd);
	return 1;
}

int mech_ntlm_settings_load(struct mech_ntlm_settings *set_r,
			    const char **error_r)
{
	const char *path, *error;
	unsigned int line = 0;
	bool missing_ok = FALSE;
	string_t *text;
	int ret;

	i_zero(set_r);
	ntlm_settings_init(&set_r->set);
	path = getenv(MECH_NTLM_CONFIG_ENV);
	if (path == NULL || path[0] == '\0') {
		/* the default file is optional, a named one is not */
		path = MECH_NTLM_CONFIG_DEFAULT;
		missing_ok = TRUE;
	}
	set_r->source = path;

	text = t_str_new(1024);
	ret = read_file(path, missing_ok, text, error_r);
	if (ret < 0)
		return -1;
	if (ret > 0 &&
	    ntlm_settings_parse(&set_r->set, str_c(text), str_len(text),
				&line, &error) < 0) {
		*error_r = t_strdup_printf("%s line %u: %s", path, line,
					   error);
		return -1;
	}
	return mech_ntlm_settings_finish(set_r, error_r);
}
