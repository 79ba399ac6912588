// The PostgreSQL C client (libpq-dev), as Debian installs it: its declarations, for Swift.
// The library itself is loaded on first use (shegong_pq.c), so a console or command that never
// talks to a district does not pay for loading libpq and the twenty libraries it needs.
#include <postgresql/libpq-fe.h>

/// NULL once libpq is loaded (loading it on the first call); otherwise why it could not be.
/// The PQ functions wrapped in shegong_pq.c return failure values while it is not loaded.
const char *shegong_pq_load_error(void);
