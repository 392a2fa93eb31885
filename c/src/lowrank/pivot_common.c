/* pivot_common.c — see pivot_common.h. */
#include "pivot_common.h"

double sk__sum(int n, const double *x)
{
    double s = 0.0;
    for (int i = 0; i < n; i++) s += x[i];
    return s;
}

void sk__pick(int n, const double *w, int bb, int rule, const double *u,
              unsigned char *taken, int *J)
{
    for (int t = 0; t < bb; t++) {
        int pick = -1;
        if (rule == SK__PICK_GREEDY) {
            double best = 0.0;
            for (int i = 0; i < n; i++)
                if (!taken[i] && w[i] > best) { best = w[i]; pick = i; }
        } else if (rule == SK__PICK_UNIFORM) {
            int count = 0;
            for (int i = 0; i < n; i++) count += !taken[i] && w[i] > 0.0;
            int target = (int)(u[t] * count); /* u < 1, so target < count */
            for (int i = 0; i < n; i++) {
                if (taken[i] || w[i] <= 0.0) continue;
                pick = i;
                if (target-- == 0) break;
            }
        } else {
            double total = 0.0;
            for (int i = 0; i < n; i++) if (!taken[i]) total += w[i];
            double target = u[t] * total, acc = 0.0;
            for (int i = 0; i < n; i++) {
                if (taken[i] || w[i] <= 0.0) continue;
                pick = i; /* the last eligible index absorbs rounding in acc */
                acc += w[i];
                if (acc > target) break;
            }
        }
        if (pick < 0) pick = 0; /* unreachable: callers ensure bb eligible indices */
        taken[pick] = 1;
        J[t] = pick;
    }
    for (int t = 0; t < bb; t++) taken[J[t]] = 0;
}

int sk__trace_begin(sk_id_trace_t *t)
{
    if (!t) return 0;
    if (t->steps_cap < 0 || t->cand_cap < 0 || !t->off ||
        (t->cand_cap > 0 && (!t->cand || !t->status)) || (t->steps_cap > 0 && !t->res2))
        return -1;
    t->nsteps = 0;
    t->truncated = 0;
    t->off[0] = 0;
    if (t->steps_cap > 0) t->off[1] = 0;
    return 0;
}

void sk__trace_add(sk_id_trace_t *t, int col, int accepted)
{
    if (!t || t->truncated) return;
    if (t->nsteps >= t->steps_cap) { t->truncated = 1; return; }
    int at = t->off[t->nsteps + 1];
    if (at >= t->cand_cap) { t->truncated = 1; return; }
    t->cand[at] = col;
    t->status[at] = (signed char)(accepted != 0);
    t->off[t->nsteps + 1] = at + 1;
}

void sk__trace_close(sk_id_trace_t *t, double res2)
{
    if (!t || t->truncated) return;
    if (t->nsteps >= t->steps_cap) { t->truncated = 1; return; }
    t->res2[t->nsteps] = res2;
    t->nsteps++;
    if (t->nsteps < t->steps_cap) t->off[t->nsteps + 1] = t->off[t->nsteps];
}
