/*
 * sketchlab.h — umbrella header: include this to get the whole public C API.
 * One header per module lives in sketchlab/; see docs/ARCHITECTURE.md.
 */
#ifndef SKETCHLAB_H
#define SKETCHLAB_H

#include "sketchlab/core.h"
#include "sketchlab/rng.h"
#include "sketchlab/linalg.h"
#include "sketchlab/lowrank.h"
#include "sketchlab/rpchol.h"
#include "sketchlab/cur.h"
#include "sketchlab/svdsketch.h"
#include "sketchlab/regression.h"
#include "sketchlab/reservoir.h"
#include "sketchlab/attention.h"
#include "sketchlab/hash.h"
#include "sketchlab/stream.h"
#include "sketchlab/countmin.h"

#endif /* SKETCHLAB_H */
