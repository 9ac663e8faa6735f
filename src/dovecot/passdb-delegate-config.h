#ifndef PASSDB_DELEGATE_CONFIG_H
#define PASSDB_DELEGATE_CONFIG_H

/* The one definition of the delegate passdb's settings: on Dovecot 2.3
   they are its args ("map=FILE domains=LIST domain_check=yes upn=whole"),
   on 2.4 the settings passdb_delegate_map, _domains, _domain_check and
   _upn, written "map = FILE" etc. inside "passdb delegate { }".
     map           the delegate map file (required)
     domains       the domains that are ours (required unless
                   domain_check = no)
     domain_check  yes: a domain in the login name must be one of ours
     upn           whole: "alice@example.com" is the user name as it is;
                   local: only its local part ("alice")
   X(type, name, default, enum values (default first) or NULL) */
#define DELEGATE_SETTINGS_LIST(X) \
	X(STR, map, "", NULL) \
	X(STR, domains, "", NULL) \
	X(BOOL, domain_check, "yes", NULL) \
	X(ENUM, upn, "whole", "whole:local")

#endif
