// Calls into GLPK that cannot end the process. GLPK reports invalid input by calling abort()
// unless an error hook leaves the failing call; Swift cannot longjmp, so these wrappers
// set the jump point in C. After an error GLPK's environment of the calling thread is freed
// (every GLPK object of that thread is gone) and the wrapper returns -1.
#ifndef PIPEBOUND_CGLPKGUARD_H
#define PIPEBOUND_CGLPKGUARD_H

#include <glpk.h>

#ifdef __cplusplus
extern "C" {
#endif

/// A model in compressed sparse row form, indices from 0, ±HUGE_VAL for no bound.
typedef struct PBGLPKProblem {
    int columnCount;
    int rowCount;
    const int *rowStart;             // rowCount + 1 entries
    const int *rowColumns;
    const double *rowValues;
    const double *columnLower;
    const double *columnUpper;
    const double *objective;
    const double *rowLower;
    const double *rowUpper;
    const unsigned char *columnIsInteger;
    int maximize;
} PBGLPKProblem;

/// Routes GLPK's terminal output of the calling thread: to stderr when `echo` is nonzero,
/// nowhere otherwise. The last lines are kept for error messages.
void pb_glpk_route_output(int echo);

/// The text GLPK printed last on this thread (its error message after a failure).
const char *pb_glpk_last_output(void);

/// Builds a GLPK problem; NULL after a GLPK error.
glp_prob *pb_glpk_create(const PBGLPKProblem *problem);

/// glp_simplex under the guard: 0 with its return code in `result`, or -1 after a GLPK error.
int pb_glpk_simplex(glp_prob *problem, const glp_smcp *parameters, int *result);

/// glp_intopt under the guard: 0 with its return code in `result`, or -1 after a GLPK error.
int pb_glpk_intopt(glp_prob *problem, const glp_iocp *parameters, int *result);

/// Deletes the problem and frees this thread's GLPK environment, so nothing outlives the solve.
void pb_glpk_finish(glp_prob *problem);

#ifdef __cplusplus
}
#endif

#endif
