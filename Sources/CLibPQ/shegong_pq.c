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

static const char *missing_symbol = NULL;

// The symbol's address, or NULL (and its name kept for the message).
static void *symbol(void *library, const char *name) {
    void *address = dlsym(library, name);
    if (address == NULL && missing_symbol == NULL) missing_symbol = name;
    return address;
}

static void load(void) {
    // A bare soname: the loader's usual search (never LD_LIBRARY_PATH when setgid).
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        const char *why = dlerror();
        snprintf(load_error_text, sizeof load_error_text, "%s", why ? why : "libpq.so.5 could not be opened");
        load_error = load_error_text;
        return;
    }
    pq.connectdb = (PGconn *(*)(const char *))symbol(library, "PQconnectdb");
    pq.finish = (void (*)(PGconn *))symbol(library, "PQfinish");
    pq.status = (ConnStatusType (*)(const PGconn *))symbol(library, "PQstatus");
    pq.errorMessage = (char *(*)(const PGconn *))symbol(library, "PQerrorMessage");
    pq.setClientEncoding = (int (*)(PGconn *, const char *))symbol(library, "PQsetClientEncoding");
    pq.exec = (PGresult *(*)(PGconn *, const char *))symbol(library, "PQexec");
    pq.execParams = (PGresult *(*)(PGconn *, const char *, int, const Oid *, const char *const *, const int *, const int *, int))
        symbol(library, "PQexecParams");
    pq.getResult = (PGresult *(*)(PGconn *))symbol(library, "PQgetResult");
    pq.putCopyData = (int (*)(PGconn *, const char *, int))symbol(library, "PQputCopyData");
    pq.putCopyEnd = (int (*)(PGconn *, const char *))symbol(library, "PQputCopyEnd");
    pq.resultStatus = (ExecStatusType (*)(const PGresult *))symbol(library, "PQresultStatus");
    pq.resultErrorMessage = (char *(*)(const PGresult *))symbol(library, "PQresultErrorMessage");
    pq.ntuples = (int (*)(const PGresult *))symbol(library, "PQntuples");
    pq.nfields = (int (*)(const PGresult *))symbol(library, "PQnfields");
    pq.getvalue = (char *(*)(const PGresult *, int, int))symbol(library, "PQgetvalue");
    pq.getisnull = (int (*)(const PGresult *, int, int))symbol(library, "PQgetisnull");
    pq.clear = (void (*)(PGresult *))symbol(library, "PQclear");
    if (missing_symbol == NULL) { load_error = NULL; return; }
    // Half-bound counts as unbound: every wrapper below returns its failure value.
    snprintf(load_error_text, sizeof load_error_text, "libpq.so.5 has no %s", missing_symbol);
    load_error = load_error_text;
}

// Loaded once per process: after installing libpq5, a running console must be restarted.
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
