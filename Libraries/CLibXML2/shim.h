#ifndef SWITCHBOARD_CLIBXML2_SHIM_H
#define SWITCHBOARD_CLIBXML2_SHIM_H
#include <libxml/xmlversion.h>
// libxml2's ICU types clash with Foundation's own ICU module; the HTML parser does not need them.
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

// xmlFree is a global function pointer, which strict concurrency rejects from Swift.
static inline void cxml_free(void *p) { xmlFree(p); }
#endif
