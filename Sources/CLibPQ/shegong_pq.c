// Each PQ function Shegong calls, defined here and forwarded to libpq, which is opened with
// dlopen on the first call. Linking libpq directly cost every process start about 9 ms (it loads
// OpenSSL, Kerberos, LDAP, GnuTLS and their constructors), for the few commands that use it.
//
// The definitions are hidden: the executable does not export them, so libpq's calls to its own
// functions never land here. A PQ function not defined here fails the link (nothing links -lpq),
// so none can be called unloaded by mistake.
#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

#pragma GCC visibility push(hidden)
#include "shegong_pq.h"

static struct {
    PGconn *(*connectdb)(const char *);
    void (*finish)(PGconn *);
    ConnStatusType (*status)(const PGconn *);
    char *(*errorMessage)(const PGconn *);
    int (*setClientEncoding)(PGconn *, const char *);
    PGresult *(*exec)(PGconn *, const char *);
    PGresult *(*execParams)(PGconn *, const char *, int, const Oid *, const char *const *, const int *, const int *, int);
    PGresult *(*getResult)(PGconn *);
    int (*putCopyData)(PGconn *, const char *, int);
    int (*putCopyEnd)(PGconn *, const char *);
    ExecStatusType (*resultStatus)(const PGresult *);
    char *(*resultErrorMessage)(const PGresult *);
    int (*ntuples)(const PGresult *);
    int (*nfields)(const PGresult *);
    char *(*getvalue)(const PGresult *, int, int);
    int (*getisnull)(const PGresult *, int, int);
    void (*clear)(PGresult *);
} pq;

static const char *load_error = "libpq was not loaded";
static char load_error_text[512];
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int bind_symbol(void *library, void **slot, const char *name) {
    *slot = dlsym(library, name);
    return *slot != NULL;
}

static void load(void) {
    // A bare soname: the loader's usual search (never LD_LIBRARY_PATH when setgid).
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    const char *why = library ? NULL : dlerror();
    int bound = library != NULL
        && bind_symbol(library, (void **)&pq.connectdb, "PQconnectdb") && bind_symbol(library, (void **)&pq.finish, "PQfinish")
        && bind_symbol(library, (void **)&pq.status, "PQstatus") && bind_symbol(library, (void **)&pq.errorMessage, "PQerrorMessage")
        && bind_symbol(library, (void **)&pq.setClientEncoding, "PQsetClientEncoding") && bind_symbol(library, (void **)&pq.exec, "PQexec")
        && bind_symbol(library, (void **)&pq.execParams, "PQexecParams") && bind_symbol(library, (void **)&pq.getResult, "PQgetResult")
        && bind_symbol(library, (void **)&pq.putCopyData, "PQputCopyData") && bind_symbol(library, (void **)&pq.putCopyEnd, "PQputCopyEnd")
        && bind_symbol(library, (void **)&pq.resultStatus, "PQresultStatus")
        && bind_symbol(library, (void **)&pq.resultErrorMessage, "PQresultErrorMessage")
        && bind_symbol(library, (void **)&pq.ntuples, "PQntuples") && bind_symbol(library, (void **)&pq.nfields, "PQnfields")
        && bind_symbol(library, (void **)&pq.getvalue, "PQgetvalue") && bind_symbol(library, (void **)&pq.getisnull, "PQgetisnull")
        && bind_symbol(library, (void **)&pq.clear, "PQclear");
    if (bound) { load_error = NULL; return; }
    if (library != NULL) why = "libpq.so.5 lacks a function Shegong needs";
    snprintf(load_error_text, sizeof load_error_text, "%s", why ? why : "libpq.so.5 could not be opened");
    // Half-bound counts as unbound: every wrapper below returns its failure value.
    load_error = load_error_text;
}

const char *shegong_pq_load_error(void) {
    pthread_once(&once, load);
    return load_error;
}

static int loaded(void) { return shegong_pq_load_error() == NULL; }

PGconn *PQconnectdb(const char *conninfo) { return loaded() ? pq.connectdb(conninfo) : NULL; }
void PQfinish(PGconn *conn) { if (loaded()) pq.finish(conn); }
ConnStatusType PQstatus(const PGconn *conn) { return loaded() ? pq.status(conn) : CONNECTION_BAD; }
char *PQerrorMessage(const PGconn *conn) { return loaded() ? pq.errorMessage(conn) : (char *)load_error; }
int PQsetClientEncoding(PGconn *conn, const char *encoding) { return loaded() ? pq.setClientEncoding(conn, encoding) : -1; }
PGresult *PQexec(PGconn *conn, const char *query) { return loaded() ? pq.exec(conn, query) : NULL; }
PGresult *PQexecParams(PGconn *conn, const char *command, int nParams, const Oid *paramTypes,
                       const char *const *paramValues, const int *paramLengths, const int *paramFormats, int resultFormat) {
    return loaded() ? pq.execParams(conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat) : NULL;
}
PGresult *PQgetResult(PGconn *conn) { return loaded() ? pq.getResult(conn) : NULL; }
int PQputCopyData(PGconn *conn, const char *buffer, int nbytes) { return loaded() ? pq.putCopyData(conn, buffer, nbytes) : -1; }
int PQputCopyEnd(PGconn *conn, const char *errormsg) { return loaded() ? pq.putCopyEnd(conn, errormsg) : -1; }
ExecStatusType PQresultStatus(const PGresult *res) { return loaded() ? pq.resultStatus(res) : PGRES_FATAL_ERROR; }
char *PQresultErrorMessage(const PGresult *res) { return loaded() ? pq.resultErrorMessage(res) : (char *)load_error; }
int PQntuples(const PGresult *res) { return loaded() ? pq.ntuples(res) : 0; }
int PQnfields(const PGresult *res) { return loaded() ? pq.nfields(res) : 0; }
char *PQgetvalue(const PGresult *res, int tup_num, int field_num) { return loaded() ? pq.getvalue(res, tup_num, field_num) : ""; }
int PQgetisnull(const PGresult *res, int tup_num, int field_num) { return loaded() ? pq.getisnull(res, tup_num, field_num) : 1; }
void PQclear(PGresult *res) { if (loaded()) pq.clear(res); }

#pragma GCC visibility pop
