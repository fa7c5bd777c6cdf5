#ifndef VCC_CREDS_CYAML_SHIM_H
#define VCC_CREDS_CYAML_SHIM_H
#include <yaml.h>
#endif
