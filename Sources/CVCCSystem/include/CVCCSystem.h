#ifndef VCC_CREDS_CSYSTEM_H
#define VCC_CREDS_CSYSTEM_H

/* Linux calls Swift's Glibc module does not import. */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <unistd.h>

/* syncfs(2): flush every file of the file system holding `fd` in one call, where one
   fsync per file would cost a journal commit each. */
static inline int vcc_syncfs(int fd) { return syncfs(fd); }

#endif
