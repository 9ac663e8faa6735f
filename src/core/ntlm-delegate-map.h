#ifndef NTLM_DELEGATE_MAP_H
#define NTLM_DELEGATE_MAP_H

/* Who may open whose mailbox: the delegate map of the "delegate" passdb,
   and turning the names of a delegate login (ntlm-delegate.h) into
   account names. Pure: the map is text in the caller's memory, scanned
   on every call; nothing is allocated and nothing is cached.

   The map, one entry a line:

     # comment (also after an entry)
     principal: delegate delegate ...     grant (deny by default)
     name = account                        another name of an account

   A grant line names accounts: the principal whose mailbox is opened
   and the accounts allowed to open it. Several grant lines for one
   principal add up; a principal with no names after ':' has no
   delegates. The principal "*" stands for every mailbox (for the
   operator's own master users). A "name = account" line gives an alias
   or a UPN that differs from the account name (Microsoft KB Q191558:
   never assume the alias is the account); the first line for a name
   wins and the account is not resolved again. Names are compared
   case-insensitively (ASCII). A name is 1..NTLM_DELEGATE_NAME_MAX bytes,
   none of them a control character, a space, ':', '=', '#', '/' or '\'.
   Bytes from 0x80 up (UTF-8) are allowed. */

#include "ntlm-common.h"
#include "ntlm-delegate.h"

/* Largest map read (the glue refuses a bigger file). */
#define NTLM_DELEGATE_MAP_MAX_SIZE (1024 * 1024)
/* Longest name in the map or account resolved, without the NUL. */
#define NTLM_DELEGATE_NAME_MAX 255

struct ntlm_delegate_names {
	/* Accepted domains, separated by commas or spaces, compared
	   case-insensitively: the leading domain of "domain/alias/..." and
	   the part after '@' of a UPN. NetBIOS and DNS names alike. */
	const char *domains;
	/* false: domains are not checked at all. */
	bool check_domain;
	/* What a UPN without a "name = account" line names: false the
	   whole UPN (accounts are addresses), true its local part, which
	   is then looked up as an alias itself. */
	bool upn_local_part;
};

/* Check the whole map. Returns 0, or -1 with the 1-based *line_r and a
   static *error_r. A map that fails this must not be used at all. */
int ntlm_delegate_map_check(const char *map, size_t map_len,
			    unsigned int *line_r, const char **error_r);

/* Is domain (not NUL-terminated) one of set->domains? Always true when
   set->check_domain is false. */
bool ntlm_delegate_domain_accepted(const struct ntlm_delegate_names *set,
				   const uint8_t *domain, size_t len);

/* Resolve one name, an alias or a UPN, to an account name: its
   "name = account" line if there is one, otherwise the name itself (or
   for a UPN with set->upn_local_part, its local part, resolved in turn).
   A UPN's domain must be accepted. Writes the NUL-terminated account to
   account_r. Returns 0, or -1 with a static *error_r. */
int ntlm_delegate_resolve(const char *map, size_t map_len,
			  const struct ntlm_delegate_names *set,
			  const uint8_t *name, size_t name_len,
			  char *account_r, size_t account_size,
			  const char **error_r);

/* The accounts of a parsed delegate login: checks the leading domain,
   then resolves the delegate and the principal. Returns 0, or -1 with a
   static *error_r. */
int ntlm_delegate_login_accounts(const char *map, size_t map_len,
				 const struct ntlm_delegate_names *set,
				 const struct ntlm_delegate_login *login,
				 char *delegate_r, size_t delegate_size,
				 char *principal_r, size_t principal_size,
				 const char **error_r);

/* Does a grant line give the delegate account access to the principal
   account? true only when listed (by the principal or "*"). A map that
   fails ntlm_delegate_map_check() grants nothing. */
bool ntlm_delegate_map_allows(const char *map, size_t map_len,
			      const char *principal, const char *delegate);

#endif
