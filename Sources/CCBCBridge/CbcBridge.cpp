// Drives CBC through CbcMain1 (the code behind the `cbc` program) so that our solves get the
// same presolve, cuts and heuristics as the command line, and adds what the C interface of
// CBC 2.10 lacks: a stop request, progress, and no SIGINT handler of CBC's own.
#include "CCBCBridge.h"

#include <cmath>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <string>
#include <vector>

#include "CbcEventHandler.hpp"
#include "ClpEventHandler.hpp"
#include "ClpSimplex.hpp"
#include "ClpSolve.hpp"
#include "CbcModel.hpp"
#include "CbcSolver.hpp"
#include "CoinError.hpp"
#include "CoinPackedMatrix.hpp"
#include "OsiClpSolverInterface.hpp"
#include "SolverAssertion.hpp"

namespace {

/// Shared between the event handler (cloned by CBC into every model copy) and the solve.
struct WatchState {
    PBCbcProgressHook hook;
    void *context;
    double objectiveSense;        // 1 minimise, -1 maximise
    bool stopRequested;
    bool reachedBranchAndBound;
    double watchedBound;          // in minimisation form
    /// The main model's tree loop has begun (its first tick or node): from then on LPs are not abandoned.
    bool treeStarted;
    /// An LP was abandoned after branch-and-bound started: nothing CBC concludes afterwards is believed.
    bool abandonedInSearch;
    /// The root LP's optimum when branch-and-bound started (minimisation form; -COIN_DBL_MAX if not solved).
    double rootBound;
};

/// CbcMain1's stage callback takes no context, so the running solve's state is per thread.
thread_local WatchState *currentWatch = nullptr;

bool askHook(WatchState *state, const PBCbcProgressHook hook, int hasIncumbent, double incumbent, double bound, long nodes) {
    if (hook == nullptr) return false;
    return hook(state->context, hasIncumbent, incumbent, bound, nodes) != 0;
}

/// Reports progress from the main search and turns a stop request into CBC's stop action.
class WatchingEventHandler : public CbcEventHandler {
public:
    explicit WatchingEventHandler(WatchState *state) : CbcEventHandler(), state_(state) {}
    WatchingEventHandler(const WatchingEventHandler &other) : CbcEventHandler(other), state_(other.state_) {}
    CbcEventHandler *clone() const override { return new WatchingEventHandler(*this); }

    CbcAction event(CbcEvent whichEvent) override {
        CbcModel *model = model_;
        if (model != nullptr && model->parentModel() == nullptr &&
            (whichEvent == node || whichEvent == treeStatus || whichEvent == solution || whichEvent == heuristicSolution)) {
            if (whichEvent == node || whichEvent == treeStatus) state_->treeStarted = true;
            double incumbentMin = model->getMinimizationObjValue();
            bool hasIncumbent = model->bestSolution() != nullptr && incumbentMin < 1.0e50;
            double boundMin = model->getBestPossibleObjValue() * model->getObjSense();
            if (std::isfinite(boundMin) && std::fabs(boundMin) < 1.0e50 && (!hasIncumbent || boundMin <= incumbentMin)) {
                state_->watchedBound = boundMin;
            }
            double sense = state_->objectiveSense;
            if (askHook(state_, state_->hook, hasIncumbent ? 1 : 0, incumbentMin * sense,
                        state_->watchedBound * sense, model->getNodeCount())) {
                state_->stopRequested = true;
            }
        } else if (!state_->stopRequested && askHook(state_, state_->hook, -1, 0, 0, 0)) {
            state_->stopRequested = true;
        }
        return state_->stopRequested ? stop : noAction;
    }

private:
    WatchState *state_;
};

/// Stops Clp's simplex iterations on a stop request, until the tree search begins.
///
/// CBC looks at its time limit and its event handler only between branch-and-bound nodes and
/// heuristic passes, so on a large model one LP ran for minutes past the limit and past SIGINT:
/// the root LP before the search, and after it each LP of the root's feasibility pump (290 s past
/// a 200-s limit on a 12,646-column model). Clp asks this handler after every iteration; returning
/// 0 abandons the solve (Clp status 5). Before the search CbcMain1 then gives up. In the root's
/// cut passes and heuristics an abandoned LP could be mistaken for an infeasible problem, and a
/// heuristic could return a point that is not a solution, so the solve records that it abandoned
/// one (`abandonedInSearch`): the Swift side then believes only the root LP's optimum, taken before
/// the search started, and checks the solution. Once the tree loop runs, node LPs are left alone:
/// CBC's tree bound is worth keeping, and between nodes CbcEventHandler stops the search.
class RootStopHandler : public ClpEventHandler {
public:
    explicit RootStopHandler(WatchState *state) : ClpEventHandler(), state_(state) {}
    RootStopHandler(const RootStopHandler &other) : ClpEventHandler(other), state_(other.state_) {}
    ClpEventHandler *clone() const override { return new RootStopHandler(*this); }

    int event(Event whichEvent) override {
        if (whichEvent != endOfIteration || state_->treeStarted) return -1;
        if (!state_->stopRequested && askHook(state_, state_->hook, -1, 0, 0, 0)) state_->stopRequested = true;
        if (!state_->stopRequested) return -1;
        if (state_->reachedBranchAndBound) state_->abandonedInSearch = true;
        return 0;
    }

private:
    WatchState *state_;
};

/// CbcMain1's stage callback: 3 means "about to run branch-and-bound". A nonzero return
/// makes CbcMain1 give up at once, which is how a stop before the search takes effect.
int stageCallback(CbcModel *model, int whereFrom) {
    WatchState *state = currentWatch;
    if (state == nullptr) return 0;
    if (whereFrom == 3) {
        state->reachedBranchAndBound = true;
        // The LP CbcMain1 solved before the search is the MIP's relaxation (preprocessing is off): its
        // optimum bounds the MIP whatever happens later.
        const OsiSolverInterface *solver = model->solver();
        if (solver != nullptr && solver->isProvenOptimal()) {
            double value = solver->getObjValue() * solver->getObjSense();
            if (std::isfinite(value) && std::fabs(value) < 1.0e50) state->rootBound = value;
        }
    }
    if (whereFrom <= 3 && !state->stopRequested && askHook(state, state->hook, -1, 0, 0, 0)) {
        state->stopRequested = true;
    }
    return (whereFrom <= 3 && state->stopRequested) ? 1 : 0;
}

double clampInfinity(double value) {
    if (value >= 1.0e30) return COIN_DBL_MAX;
    if (value <= -1.0e30) return -COIN_DBL_MAX;
    return value;
}

std::string formatNumber(double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", value);
    return buffer;
}

}  // namespace

// OpenBLAS, when it is the system's BLAS behind Clp's dense factorisation, starts one thread per
// core that busy-waits with sched_yield between the tiny dense solves of a simplex iteration. On
// two cores with other work running, that made CBC solves 5 to 25 times slower in wall-clock time
// than their CPU time; one BLAS thread is what CBC's serial solves need. Weak, so that another
// BLAS (without this function) links and runs as before.
extern "C" void openblas_set_num_threads(int) __attribute__((weak));

namespace {
void useOneBlasThread() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (openblas_set_num_threads != nullptr) openblas_set_num_threads(1);
    });
}
}  // namespace

extern "C" int pb_cbc_solve(const PBCbcProblem *problem, const PBCbcSettings *settings, double *values, PBCbcOutcome *outcome) {
    useOneBlasThread();
    std::memset(outcome, 0, sizeof *outcome);
    outcome->ending = PBCbcEndingFailed;
    outcome->watchedBound = -HUGE_VAL;
    outcome->rawBound = NAN;
    WatchState state{settings->hook, settings->context, problem->maximize ? -1.0 : 1.0, false, false, -COIN_DBL_MAX,
                     false, false, -COIN_DBL_MAX};
    // CBC's and Clp's failed assertions throw from here on, instead of aborting the process.
    pipebound::ThrowingAssertions throwingAssertions;
    try {
        const int columns = problem->columnCount;
        const int rows = problem->rowCount;
        std::vector<int> lengths(rows);
        for (int row = 0; row < rows; ++row) lengths[row] = problem->rowStart[row + 1] - problem->rowStart[row];
        CoinPackedMatrix matrix(false, columns, rows, problem->rowStart[rows], problem->rowValues,
                                problem->rowColumns, problem->rowStart, lengths.data());
        std::vector<double> columnLower(columns), columnUpper(columns), rowLower(rows), rowUpper(rows);
        for (int column = 0; column < columns; ++column) {
            columnLower[column] = clampInfinity(problem->columnLower[column]);
            columnUpper[column] = clampInfinity(problem->columnUpper[column]);
        }
        for (int row = 0; row < rows; ++row) {
            rowLower[row] = clampInfinity(problem->rowLower[row]);
            rowUpper[row] = clampInfinity(problem->rowUpper[row]);
        }
        OsiClpSolverInterface solver;
        solver.messageHandler()->setLogLevel(settings->logLevel > 0 ? 1 : 0);
        solver.loadProblem(matrix, columnLower.data(), columnUpper.data(), problem->objective, rowLower.data(), rowUpper.data());
        for (int column = 0; column < columns; ++column) {
            if (problem->columnIsInteger[column]) solver.setInteger(column);
        }
        solver.setObjSense(problem->maximize ? -1.0 : 1.0);
        // Copied (cloned) with the solver into every model CBC makes from it.
        RootStopHandler rootStop(&state);
        solver.getModelPtr()->passInEventHandler(&rootStop);
        // The root LP by the dual simplex: left to choose, Clp runs its "idiot" crash on large
        // models, which takes minutes without raising an event, so the handler could not stop it.
        ClpSolve rootOptions;
        rootOptions.setSolveType(ClpSolve::useDual);
        rootOptions.setPresolveType(ClpSolve::presolveOn);
        solver.setSolveOptions(rootOptions);

        CbcModel model(solver);
        model.messageHandler()->setLogLevel(settings->logLevel);
        CbcSolverUsefulData data;
        // Our process owns SIGINT: CbcMain1 would otherwise install (and later "restore",
        // racing other threads) a handler of its own.
        data.useSignalHandler_ = false;
        data.noPrinting_ = settings->logLevel == 0;
        CbcMain0(model, data);
        WatchingEventHandler handler(&state);
        model.passInEventHandler(&handler);

        if (settings->mipStart != nullptr) {
            // CBC matches a MIP start by column name; the solver's default names will do.
            std::vector<std::string> names(columns);
            std::vector<const char *> namePointers(columns);
            for (int column = 0; column < columns; ++column) {
                names[column] = model.solver()->getColName(column);
                namePointers[column] = names[column].c_str();
            }
            model.setMIPStart(columns, namePointers.data(), settings->mipStart);
        }

        std::vector<std::string> arguments = {"pipebound", "-log", std::to_string(settings->logLevel)};
        if (settings->logLevel == 0) { arguments.push_back("-slog"); arguments.push_back("0"); }
        if (settings->timeLimit >= 0) { arguments.push_back("-sec"); arguments.push_back(formatNumber(settings->timeLimit)); }
        // Wall-clock seconds, as SolveOptions promises (CBC counts CPU seconds by default).
        arguments.push_back("-timeMode"); arguments.push_back("elapsed");
        // CglPreProcess in CBC 2.10.8 returns wrong optima on small integer models (see
        // CBCSolver's documentation), so it stays off: soundness first.
        arguments.push_back("-preprocess"); arguments.push_back("off");
        arguments.push_back("-ratioGap"); arguments.push_back(formatNumber(settings->relativeGap));
        arguments.push_back("-allowableGap"); arguments.push_back(formatNumber(settings->absoluteGap));
        // Set explicitly (CBC's default is 1e-5 and may change with the objective): the Swift side
        // lowers the bound by exactly this amount (docs/mip.md, "Bounds and pruning").
        arguments.push_back("-increment"); arguments.push_back(formatNumber(settings->cutoffIncrement));
        if (settings->nodeLimit >= 0) { arguments.push_back("-maxNodes"); arguments.push_back(std::to_string(settings->nodeLimit)); }
        if (settings->threads > 1) { arguments.push_back("-threads"); arguments.push_back(std::to_string(settings->threads)); }
        arguments.push_back("-solve");
        arguments.push_back("-quit");
        std::vector<const char *> argv;
        for (const std::string &argument : arguments) argv.push_back(argument.c_str());

        WatchState *previous = currentWatch;
        currentWatch = &state;
        CbcMain1(static_cast<int>(argv.size()), argv.data(), model, stageCallback, data);
        currentWatch = previous;

        outcome->cbcStatus = model.status();
        outcome->cbcSecondaryStatus = model.secondaryStatus();
        outcome->nodes = model.getNodeCount();
        outcome->reachedBranchAndBound = state.reachedBranchAndBound ? 1 : 0;
        outcome->abandonedInSearch = state.abandonedInSearch ? 1 : 0;
        outcome->rootBound = state.rootBound > -1.0e50 ? state.rootBound * state.objectiveSense : -HUGE_VAL * state.objectiveSense;
        if (state.watchedBound > -1.0e50) outcome->watchedBound = state.watchedBound * state.objectiveSense;
        else outcome->watchedBound = -HUGE_VAL * state.objectiveSense;
        outcome->rawBound = model.getBestPossibleObjValue();
        const double *best = model.bestSolution();
        if (best != nullptr && model.solver()->getNumCols() == columns) {
            outcome->hasSolution = 1;
            std::memcpy(values, best, sizeof(double) * columns);
            outcome->objective = model.getObjValue();
        }
        if (model.isProvenInfeasible() || outcome->cbcSecondaryStatus == 1) {
            // With a solution in hand this means "everything left is worse than the cutoff":
            // a finished search proves the incumbent optimal.
            if (outcome->hasSolution) outcome->ending = outcome->cbcStatus == 0 ? PBCbcEndingOptimal : PBCbcEndingStopped;
            else outcome->ending = PBCbcEndingInfeasible;
        } else if (model.isContinuousUnbounded() || outcome->cbcSecondaryStatus == 7) {
            outcome->ending = PBCbcEndingUnbounded;
        } else if (outcome->cbcStatus == 0) {
            outcome->ending = outcome->hasSolution ? PBCbcEndingOptimal : PBCbcEndingInfeasible;
        } else {
            outcome->ending = PBCbcEndingStopped;
        }
        return 0;
    } catch (pipebound::SolverAssertionFailure &failure) {
        currentWatch = nullptr;
        std::snprintf(outcome->message, sizeof outcome->message, "CBC: %s", failure.message);
    } catch (CoinError &error) {
        currentWatch = nullptr;
        std::snprintf(outcome->message, sizeof outcome->message, "CBC: %s (%s::%s)", error.message().c_str(),
                      error.className().c_str(), error.methodName().c_str());
    } catch (std::exception &error) {
        currentWatch = nullptr;
        std::snprintf(outcome->message, sizeof outcome->message, "CBC: %s", error.what());
    } catch (...) {
        currentWatch = nullptr;
        std::snprintf(outcome->message, sizeof outcome->message, "CBC: unknown C++ exception");
    }
    outcome->ending = PBCbcEndingFailed;
    return -1;
}
