/* The header's inline functions, and the process's arguments as the loader gave them. */
#include "CVCCSystem.h"

#include <stddef.h>

/* glibc calls the functions of .init_array with main's argc, argv and envp. Swift's
   runtime, linked statically, reads its arguments from /proc/self/cmdline instead, which
   a chroot or a container without /proc does not have: these are kept for it. */
static int vcc_saved_argc;
static char **vcc_saved_argv;

static void vcc_save_arguments(int argc, char **argv, char **envp) {
    (void)envp;
    vcc_saved_argc = argc;
    vcc_saved_argv = argv;
}

__attribute__((section(".init_array"), used)) static void (*vcc_save_arguments_entry)(int, char **, char **) =
    vcc_save_arguments;

int vcc_argument_count(void) { return vcc_saved_argv == NULL ? 0 : vcc_saved_argc; }

const char *vcc_argument(int index) {
    if (vcc_saved_argv == NULL || index < 0 || index >= vcc_saved_argc) return NULL;
    return vcc_saved_argv[index];
}

/* What scripts/release builds in: with -DVCC_CREDS_BUILD_INFO and the folder of the
   header it writes on the include path, the header defines VCC_CREDS_VERSION and
   VCC_CREDS_COMMIT. Only this file includes it, so a new commit recompiles only this file.
   Empty for a build from source. */
#ifdef VCC_CREDS_BUILD_INFO
#include "vcc_build_info.h"
#endif
#ifndef VCC_CREDS_VERSION
#define VCC_CREDS_VERSION ""
#endif
#ifndef VCC_CREDS_COMMIT
#define VCC_CREDS_COMMIT ""
#endif

const char *vcc_build_version(void) { return VCC_CREDS_VERSION; }
const char *vcc_build_commit(void) { return VCC_CREDS_COMMIT; }
