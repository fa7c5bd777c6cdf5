#ifndef VCC_CREDS_CSYSTEM_H
#define VCC_CREDS_CSYSTEM_H

/* Linux calls Swift's Glibc module does not import. */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
/* The process's arguments as the loader passed them to main (see CVCCSystem.c): what
   the command line is when Swift's runtime cannot read /proc/self/cmdline. */
int vcc_argument_count(void);
const char *vcc_argument(int index);

/* The version and commit a release build was given (empty for a build from source). */
const char *vcc_build_version(void);
const char *vcc_build_commit(void);

#endif
#include <unistd.h>

/* syncfs(2): flush every file of the file system holding `fd` in one call, where one
   fsync per file would cost a journal commit each. */
static inline int vcc_syncfs(int fd) { return syncfs(fd); }

/* The process's arguments as the loader passed them to main (see CVCCSystem.c): what
   the command line is when Swift's runtime cannot read /proc/self/cmdline. */
int vcc_argument_count(void);
const char *vcc_argument(int index);

/* The version and commit a release build was given (empty for a build from source). */
const char *vcc_build_version(void);
const char *vcc_build_commit(void);

#endif
