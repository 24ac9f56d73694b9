/* heatmap.h — risk heat maps: counts of open risks per (likelihood, consequence) cell of the
   approved risk method, as JSON for the web app and as SVG for reports. */
#ifndef ISMS_HEATMAP_H
#define ISMS_HEATMAP_H
#include "../base/buf.h"
#include "../engine/record.h"

/* kind is "inherent" or "residual". *out (caller owns): {"kind", "likelihood":[labels],
   "consequence":[labels], "cells":[[{"level","colour","count"}…]…] (row = likelihood, lowest
   first), "total"}. ERR_CONFLICT if no risk method is approved. */
int heatmap_build(struct ctx *c, const char *kind, json_t **out, struct err *e);
/* Renders a heat map built by heatmap_build as a standalone SVG document. */
void heatmap_svg(const json_t *map, struct buf *out);

#endif
