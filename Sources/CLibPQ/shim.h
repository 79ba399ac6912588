// The PostgreSQL C client (libpq-dev), as Debian installs it.
#include <postgresql/libpq-fe.h>
