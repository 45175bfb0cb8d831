#ifndef JIANCE_CXLSXWRITER_SHIM_H
#define JIANCE_CXLSXWRITER_SHIM_H
#include <xlsxwriter.h>
#endif
