#ifndef JIANCE_CFREEXL_SHIM_H
#define JIANCE_CFREEXL_SHIM_H
#include <freexl.h>
#endif
