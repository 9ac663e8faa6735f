#ifndef NTLM_DELEGATE_H
#define NTLM_DELEGATE_H

/* The delegate-access login grammar of [MS-OXPOP3] 2.2.2 (and the IMAP
   LOGIN equivalent of [MS-OXIMAP4] 2.2.2). The part after the last "/" is
   the mailbox (principal), as an alias or a UPN:

     domain/delegatealias/principalalias
     domain/delegatealias/principalupn
     delegateupn/principalalias
     delegateupn/principalupn

   A UPN is local@domain, both parts non-empty, with exactly one "@"; an
   alias and a domain contain no "@". No part may be empty, contain a
   control character, a backslash or a NUL; at most three parts; the whole
   login at most NTLM_DELEGATE_MAX_LEN bytes. The parser is pure: the
   results are slices of the input, nothing is allocated. */

#include "ntlm-common.h"

#define NTLM_DELEGATE_MAX_LEN 512

enum ntlm_delegate_form {
	NTLM_DELEGATE_DOMAIN_ALIAS_ALIAS,
	NTLM_DELEGATE_DOMAIN_ALIAS_UPN,
	NTLM_DELEGATE_UPN_ALIAS,
	NTLM_DELEGATE_UPN_UPN,
};

struct ntlm_delegate_login {
	enum ntlm_delegate_form form;
	/* Empty for the two UPN-delegate forms. */
	struct ntlm_slice domain;
	struct ntlm_slice delegate;
	struct ntlm_slice principal;
	bool delegate_is_upn;
	bool principal_is_upn;
};

/* Returns 1 and fills *login_r for a delegate login, 0 if the name has
   no "/" at all (an ordinary login, *login_r untouched), or -1 with a
   static *error_r for a malformed delegate login. */
int ntlm_delegate_parse(const char *name, size_t len,
			struct ntlm_delegate_login *login_r,
			const char **error_r);

/* "domain/alias/alias" and so on, for logs. */
const char *ntlm_delegate_form_name(enum ntlm_delegate_form form);

#endif
