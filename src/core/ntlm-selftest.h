#ifndef NTLM_SELFTEST_H
#define NTLM_SELFTEST_H

/* Known-answer self-check of the crypto the core depends on, against the
   [MS-NLMP] 4.2 vectors: NTOWFv2, NTProofStr and LMv2 always; NTOWFv1 and
   the NTLMv1 and ESS responses when the legacy provider is there. Cheap
   enough to run once at start-up. Returns 0, or -1 with a static
   *error_r naming the first value that came out wrong, or the reason
   of the first computation that failed. *legacy_r tells whether the
   MD4/DES checks ran. */

#include "ntlm-common.h"

int ntlm_selftest(bool *legacy_r, const char **error_r);

#endif
