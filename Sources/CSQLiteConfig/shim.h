#ifndef JIANCE_CSQLITECONFIG_SHIM_H
#define JIANCE_CSQLITECONFIG_SHIM_H
#include <sqlite3.h>

/// Turns off SQLite's memory statistics, which take a global mutex around every allocation
/// (sqlite3_config is variadic, which Swift cannot call). Only before SQLite starts: afterwards
/// it returns SQLITE_MISUSE and nothing changes.
static inline int jiance_sqlite_without_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
#endif
