/* hash.h: the one content fingerprint atelier uses (64-bit FNV-1a), for
 * the manifest's inputs, the options of a build and the index's groups.
 * Not a security measure. */
#ifndef ATELIER_HASH_H
#define ATELIER_HASH_H

#include <stddef.h>
#include <stdint.h>

#define AT_HASH_INIT 0xcbf29ce484222325ull

/* h carried on over len more bytes: at_hash_more(AT_HASH_INIT, ...) over
 * pieces equals at_hash_bytes over their concatenation. */
uint64_t at_hash_more(uint64_t h, const void *data, size_t len);
uint64_t at_hash_bytes(const void *data, size_t len);

#endif
