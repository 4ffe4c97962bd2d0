// A small C entry point over CBC's C++ solver driver (CbcMain1), so Swift can solve with
// CBC's full default strategy while keeping control: an event handler reports progress and
// stops the search on request, the SIGINT handler of CbcMain1 is never installed, and no
// C++ exception escapes.
#ifndef PIPEBOUND_CCBCBRIDGE_H
#define PIPEBOUND_CCBCBRIDGE_H

#ifdef __cplusplus
extern "C" {
#endif

/// A model in compressed sparse row form; every pointer holds plain numbers (±HUGE_VAL for no bound).
typedef struct PBCbcProblem {
    int columnCount;
    int rowCount;
    const int *rowStart;            // rowCount + 1 entries
    const int *rowColumns;          // rowStart[rowCount] entries
    const double *rowValues;
    const double *columnLower;
    const double *columnUpper;
    const double *objective;
    const double *rowLower;
    const double *rowUpper;
    const unsigned char *columnIsInteger;
    int maximize;                   // nonzero: maximise
} PBCbcProblem;

/// Progress hook: called from the solving thread with values in the model's own objective
/// sense. Returns nonzero to ask CBC to stop.
typedef int (*PBCbcProgressHook)(void *context, int hasIncumbent, double incumbent, double bound, long nodes);

/// What the solve may spend and how it behaves.
typedef struct PBCbcSettings {
    double timeLimit;               // seconds; negative: none
    double relativeGap;
    double absoluteGap;
    long nodeLimit;                 // negative: none
    int threads;
    int logLevel;                   // 0: silent
    const double *mipStart;         // columnCount values or NULL
    PBCbcProgressHook hook;         // may be NULL
    void *context;
    /// CBC's cutoff increment: after an incumbent z, nodes whose bound is above z - increment are
    /// pruned, so the proven bound is at most min(best node bound, z - increment).
    double cutoffIncrement;
} PBCbcSettings;

/// How a CBC solve ended, before the Swift side maps it to SolveStatus.
typedef enum PBCbcEnding {
    PBCbcEndingOptimal = 0,
    PBCbcEndingStopped = 1,
    PBCbcEndingInfeasible = 2,
    PBCbcEndingUnbounded = 3,
    PBCbcEndingFailed = 4
} PBCbcEnding;

/// The raw outcome. Objective values are in the model's own sense, without any constant.
typedef struct PBCbcOutcome {
    PBCbcEnding ending;
    int hasSolution;
    double objective;
    /// CbcModel::getBestPossibleObjValue() as CBC reports it (may be garbage after an early stop).
    double rawBound;
    /// Whether CBC reached branch-and-bound on the main model (its root LP was solved).
    int reachedBranchAndBound;
    /// The best bound seen by the event handler on the main model (±HUGE_VAL if none).
    double watchedBound;
    /// Nonzero when a stop abandoned an LP after branch-and-bound started: CBC's later verdicts
    /// and bound are not to be believed, only ``rootBound``.
    int abandonedInSearch;
    /// The optimum of the LP relaxation solved before branch-and-bound (±HUGE_VAL if none).
    double rootBound;
    int cbcStatus;
    int cbcSecondaryStatus;
    long nodes;
    char message[256];
} PBCbcOutcome;

/// Solves `problem`; writes `columnCount` values into `values` when a solution exists.
/// Returns 0, or -1 when CBC threw (outcome->message says what).
int pb_cbc_solve(const PBCbcProblem *problem, const PBCbcSettings *settings, double *values, PBCbcOutcome *outcome);

#ifdef __cplusplus
}
#endif

#endif
