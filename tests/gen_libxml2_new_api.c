/* gen/plist.c against the headers of libxml2 2.12 or later, which the test
 * gen_libxml2_new_api compiles (and does not link) with warnings as errors:
 * the structured error handler takes a const xmlError *, the parser context
 * comes from xmlNewSAXParserCtxt, and nothing deprecated is used. */
#include <libxml/xmlversion.h>

#if LIBXML_VERSION < 21200
#error "these are the headers of libxml2 before 2.12; the check needs 2.12 or later"
#endif

#include "plist.c"
