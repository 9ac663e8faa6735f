#ifndef NTLM_BINDING_H
#define NTLM_BINDING_H

/* Relay defence (MS-NLMP 3.1.5.1.2, 3.2.5.1.2; Windows' Extended
   Protection): channel binding to the server's TLS certificate and the
   check of the service name the client meant.

   Channel binding: an NTLMv2 client on TLS puts into its AV pairs
   MsvAvChannelBindings = MD5(gss_channel_bindings_struct), the struct as
   MS-NLMP and RFC 2744 lay it out for the hash:
     initiator_addrtype u32le = 0, initiator_address length u32le = 0,
     acceptor_addrtype  u32le = 0, acceptor_address length  u32le = 0,
     application_data length u32le, application_data
   (no address bytes, since both lengths are 0) with application_data =
   "tls-server-end-point:" || H(certificate DER), RFC 5929 4.1: H is the
   hash of the certificate's signature algorithm, SHA-256 when that is
   MD5 or SHA-1 (or when the algorithm has no separate hash, as Ed25519).
   Sixteen zero bytes mean "no binding".

   Nothing here does I/O: the caller reads the certificate files. */

#include "ntlm-common.h"

#define NTLM_CB_PREFIX "tls-server-end-point:"
/* Certificates one server binds to (SNI setups present several). */
#define NTLM_CB_MAX_CERTS 8
/* A list setting (ntlm_target_names, ntlm_channel_binding_certs). */
#define NTLM_LIST_SIZE 1024

enum ntlm_cb_mode {
	/* MsvAvChannelBindings is not looked at (Extended Protection Off). */
	NTLM_CB_NEVER = 0,
	/* A binding the client sent must match; none is accepted (Allow). */
	NTLM_CB_WHEN_PRESENT,
	/* NTLM only over TLS, with a binding that matches (Require). */
	NTLM_CB_REQUIRED,
};

/* "never", "when-present", "required". */
const char *ntlm_cb_mode_name(enum ntlm_cb_mode mode);

/* RFC 5929 tls-server-end-point hash of a DER certificate. hash_r must
   hold 64 bytes; *hash_len_r is the digest length. Returns -1 with a
   static *error_r when the certificate cannot be parsed or hashed. */
int ntlm_cb_end_point_hash(const uint8_t *der, size_t der_len,
			   uint8_t hash_r[64], size_t *hash_len_r,
			   const char **error_r);

/* MsvAvChannelBindings for a certificate: MD5 of the struct above.
   Returns -1 with a static *error_r as ntlm_cb_end_point_hash(), or
   when MD5 fails. */
int ntlm_cb_from_der(const uint8_t *der, size_t der_len,
		     uint8_t binding_r[16], const char **error_r);
/* The same for the first certificate of PEM text (a file holding the
   certificate, perhaps followed by its chain or key). */
int ntlm_cb_from_pem(const char *pem, size_t pem_len,
		     uint8_t binding_r[16], const char **error_r);
/* MD5 of the struct with the given application data (for tests and for
   clients binding to something else). Returns -1 with a static *error_r
   when app_len is over sizeof(NTLM_CB_PREFIX) + 64 or MD5 fails. */
int ntlm_cb_from_app_data(const uint8_t *app, size_t app_len,
			  uint8_t binding_r[16], const char **error_r);

/* Whether a received MsvAvChannelBindings value is a binding: 16 bytes,
   not all zero. */
bool ntlm_cb_present(const struct ntlm_slice *value);

/* Whether value (16 bytes) equals one of count bindings (constant time
   per comparison). */
bool ntlm_cb_matches(const struct ntlm_slice *value,
		     const uint8_t (*bindings)[16], unsigned int count);

/* Whether a MsvAvTargetName (UTF-16LE) is one of list, names separated
   by spaces or commas, compared ignoring ASCII case. An empty list
   accepts everything; an empty name (the client sent none) is accepted.
   Returns -1 with a static *error_r when the name is not valid UTF-16,
   else 1 accepted, 0 not in the list. */
int ntlm_target_name_check(const char *list,
			   const struct ntlm_slice *name_utf16,
			   const char **error_r);

/* Split a list setting: calls each(name, len, context) for every
   non-empty entry; stops and returns the callback's negative value. */
int ntlm_list_foreach(const char *list,
		      int (*each)(const char *name, size_t len, void *context),
		      void *context);

#endif
