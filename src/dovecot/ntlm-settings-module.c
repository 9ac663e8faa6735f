/* Dovecot 2.4's config process loads MODULEDIR/settings/ and takes
   the settings a module declares from its <name>_set_infos[] (as
   Pigeonhole's libpigeonhole_settings.so does). This one declares the
   ntlm_* settings and those of the delegate passdb, so dovecot.conf may
   hold them, doveconf -n/-a shows them and a bad value is refused.
   Nothing else is in it: the config process loads no auth code. */

#include "lib.h"
#include "module-dir.h"

#include "ntlm-settings-info.h"

const char *ntlm_settings_version = DOVECOT_ABI_VERSION;
extern const struct setting_parser_info *ntlm_settings_set_infos[];

const struct setting_parser_info *ntlm_settings_set_infos[] = {
	&ntlm_setting_parser_info,
	&passdb_delegate_setting_parser_info,
	NULL
};
