/* The delegate passdb's settings on Dovecot 2.3: the passdb's args,
   "map=FILE domains=LIST domain_check=yes|no upn=whole|local"
   (DELEGATE_SETTINGS_LIST). A bad or missing one stops the auth process
   with a message naming it, as Dovecot's own drivers do. */

#include "auth-common.h"
#include "passdb.h"

#include "passdb-delegate.h"

static struct passdb_module *
passdb_delegate_preinit(pool_t pool, const char *args)
{
	struct delegate_passdb_module *module;
	const char *const *arg, *eq, *error;

	module = delegate_module_new(pool);
	for (arg = t_strsplit_spaces(args, " "); *arg != NULL; arg++) {
		eq = strchr(*arg, '=');
		if (eq == NULL) {
			i_fatal("passdb delegate: unknown argument: %s",
				*arg);
		}
		if (delegate_module_set(module, pool,
					t_strdup_until(*arg, eq), eq + 1,
					&error) < 0)
			i_fatal("passdb delegate: %s", error);
	}
	if (delegate_module_check(module, &error) < 0)
		i_fatal("passdb delegate: %s", error);
	return &module->module;
}

void passdb_delegate_set_preinit(struct passdb_module_interface *iface)
{
	iface->preinit = passdb_delegate_preinit;
}
