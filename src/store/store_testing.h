/* store_testing.h — for the tests of tests/store/ only, never for the product: the libpq
 * connection under an lr_store, so that a test can look at the server's side of what the store
 * did (the rows it wrote, its transaction state, its backend's pid).
 *
 * Owns: nothing. Borrows: the store's connection, which stays the store's: a test may run
 * statements on it but must not close it or leave a transaction open. Everything else reaches
 * the database through store.h and records.h.
 */
#ifndef LANDREC_STORE_TESTING_H
#define LANDREC_STORE_TESTING_H

#include "landrec/store.h"

struct pg_conn;

/* The connection of st (borrowed), or NULL when st is NULL. */
struct pg_conn *lr_store_test_conn(lr_store *st);

#endif
