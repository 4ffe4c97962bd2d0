#include "CGLPKGuard.h"

#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

// GLPK's environment is thread-local, so is everything the hooks need.
static _Thread_local jmp_buf *currentJump = NULL;
static _Thread_local int echoOutput = 0;
static _Thread_local char lastOutput[1024];

static int termHook(void *info, const char *text) {
    (void)info;
    size_t used = strlen(lastOutput);
    size_t length = strlen(text);
    if (used + length >= sizeof lastOutput) {
        used = 0;
        lastOutput[0] = 0;
    }
    if (length < sizeof lastOutput) memcpy(lastOutput + used, text, length + 1);
    if (echoOutput) fputs(text, stderr);
    return 1;  // nonzero: GLPK prints nothing itself
}

static void errorHook(void *info) {
    (void)info;
    if (currentJump != NULL) longjmp(*currentJump, 1);
}

void pb_glpk_route_output(int echo) {
    echoOutput = echo;
    lastOutput[0] = 0;
    glp_term_out(GLP_ON);
    glp_term_hook(termHook, NULL);
}

const char *pb_glpk_last_output(void) { return lastOutput; }

#define GUARDED(body)                                   \
    jmp_buf jump;                                       \
    jmp_buf *volatile saved = currentJump;              \
    if (setjmp(jump) != 0) {                            \
        currentJump = saved;                            \
        glp_free_env();                                 \
        return FAILED;                                  \
    }                                                   \
    currentJump = &jump;                                \
    glp_error_hook(errorHook, NULL);                    \
    body;                                               \
    glp_error_hook(NULL, NULL);                         \
    currentJump = saved;

glp_prob *pb_glpk_create(const PBGLPKProblem *problem) {
#define FAILED NULL
    glp_prob *volatile result = NULL;
    GUARDED({
        glp_prob *lp = glp_create_prob();
        result = lp;
        glp_set_obj_dir(lp, problem->maximize ? GLP_MAX : GLP_MIN);
        if (problem->columnCount > 0) glp_add_cols(lp, problem->columnCount);
        if (problem->rowCount > 0) glp_add_rows(lp, problem->rowCount);
        for (int column = 0; column < problem->columnCount; ++column) {
            double lower = problem->columnLower[column];
            double upper = problem->columnUpper[column];
            int type = isinf(lower) ? (isinf(upper) ? GLP_FR : GLP_UP)
                                    : (isinf(upper) ? GLP_LO : (lower == upper ? GLP_FX : GLP_DB));
            glp_set_col_bnds(lp, column + 1, type, isinf(lower) ? 0 : lower, isinf(upper) ? 0 : upper);
            glp_set_obj_coef(lp, column + 1, problem->objective[column]);
            if (problem->columnIsInteger[column]) glp_set_col_kind(lp, column + 1, GLP_IV);
        }
        for (int row = 0; row < problem->rowCount; ++row) {
            double lower = problem->rowLower[row];
            double upper = problem->rowUpper[row];
            int type = isinf(lower) ? (isinf(upper) ? GLP_FR : GLP_UP)
                                    : (isinf(upper) ? GLP_LO : (lower == upper ? GLP_FX : GLP_DB));
            glp_set_row_bnds(lp, row + 1, type, isinf(lower) ? 0 : lower, isinf(upper) ? 0 : upper);
        }
        // The matrix is loaded column by column (rows transposed here), as glp_read_mps does:
        // GLPK allocates its elements in load order, and its cut generators walk column lists
        // (glp_get_mat_col took half of the set-cover benchmark's time), so elements stored by
        // column keep those walks in cache. Loaded by rows, the same search took about 1.25x
        // glpsol's CPU time (docs/mip.md, "GLPK").
        int elementCount = problem->rowCount > 0 ? problem->rowStart[problem->rowCount] : 0;
        for (int element = 0; element < elementCount; ++element) {
            int column = problem->rowColumns[element];
            // Never let through by the Swift side; GLPK reports it (an error, caught by the guard).
            if (column < 0 || column >= problem->columnCount) glp_set_mat_col(lp, column + 1, 0, NULL, NULL);
        }
        int *columnStart = glp_alloc(problem->columnCount + 2, sizeof(int));
        for (int column = 0; column <= problem->columnCount + 1; ++column) columnStart[column] = 0;
        for (int element = 0; element < elementCount; ++element) columnStart[problem->rowColumns[element] + 2] += 1;
        for (int column = 2; column <= problem->columnCount + 1; ++column) columnStart[column] += columnStart[column - 1];
        // glp_set_mat_col reads row indices and values from position 1.
        int *rows = glp_alloc(elementCount + 1, sizeof(int));
        double *values = glp_alloc(elementCount + 1, sizeof(double));
        for (int row = 0; row < problem->rowCount; ++row) {
            for (int element = problem->rowStart[row]; element < problem->rowStart[row + 1]; ++element) {
                int slot = columnStart[problem->rowColumns[element] + 1]++;
                rows[slot + 1] = row + 1;
                values[slot + 1] = problem->rowValues[element];
            }
        }
        for (int column = 0; column < problem->columnCount; ++column) {
            int start = columnStart[column];
            glp_set_mat_col(lp, column + 1, columnStart[column + 1] - start, rows + start, values + start);
        }
        glp_free(columnStart);
        glp_free(rows);
        glp_free(values);
        // glp_set_mat_col prepends each element to its row's list, leaving rows in descending
        // column order; GLPK breaks pivoting ties by list order, and the loader's order took the
        // set-cover benchmark down a search twice as long as glpsol's on the same model
        // (docs/mip.md, "GLPK"). Sorting gives the order glpsol's readers leave (glp_read_mps
        // sorts the same way).
        glp_sort_matrix(lp);
    })
    return result;
#undef FAILED
}

int pb_glpk_simplex(glp_prob *problem, const glp_smcp *parameters, int *result) {
#define FAILED (-1)
    GUARDED({ *result = glp_simplex(problem, parameters); })
    return 0;
#undef FAILED
}

int pb_glpk_intopt(glp_prob *problem, const glp_iocp *parameters, int *result) {
#define FAILED (-1)
    GUARDED({ *result = glp_intopt(problem, parameters); })
    return 0;
#undef FAILED
}

void pb_glpk_finish(glp_prob *problem) {
    if (problem != NULL) glp_delete_prob(problem);
    glp_free_env();
}
