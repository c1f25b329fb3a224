/* The style sheet and script of the pages `kpmc doc` writes, compiled in
 * from tools/doc_assets/ (see embed.cmake there). */
#ifndef KPMC_TOOLS_DOC_ASSETS_H
#define KPMC_TOOLS_DOC_ASSETS_H

extern const char doc_asset_css[];
extern const char doc_asset_js[];

#endif
