import CGLPK
import CGLPKGuard
import MIP

/// One GLPK solve: owns the GLPK problem and the state the branch-and-cut callback reads.
final class GLPKRun {
    let model: Model
    let options: SolveOptions
    let monitor: SolveMonitor
    /// +1 when minimising, -1 when maximising: bounds are tracked as if minimising.
    let sign: Double
    /// The feasible MIP start, 1-based as GLPK wants it, until it has been handed over.
    var pendingStart: [Double]?
    /// Best proven bound so far, as if minimising, without the objective constant.
    var provenBound = -Double.infinity
    /// Subproblems GLPK started to process (the root included).
    var processedNodes = 0
    /// When the bound was last refreshed (seconds into the solve).
    var lastBoundRefresh = -Double.infinity
    /// Why the callback ended the search, if it did.
    var terminationReason: TerminationReason?

    enum TerminationReason { case limit, absoluteGap }

    /// GLPK's `tol_obj`, set explicitly: with an incumbent z, GLPK drops every subproblem whose
    /// bound is at least z − tol_obj·(1 + |z|), so nothing beyond that value is proven.
    static let objectiveTolerance = 1e-7

    /// The most a bound may claim once an incumbent `incumbent` (as if minimising) is known:
    /// GLPK's pruning rule leaves solutions up to tol_obj·(1 + |z|) below it unexplored
    /// (docs/mip.md, "Bounds and pruning").
    static func pruningLimit(_ incumbent: Double) -> Double {
        incumbent - objectiveTolerance * (1 + Swift.abs(incumbent))
    }

    /// The longest stretch of the root simplex between two looks at the stop flag (seconds).
    static let simplexSlice = 0.25
    /// A lower estimate of glp_intopt's set-up time per matrix nonzero (measured: about 3 µs on an
    /// idle machine for 636,000 nonzeros), below which the branch and cut is not started.
    static let intoptSetupSecondsPerNonzero = 3e-6
    /// A lower estimate of what loading, scaling and the first basis take per matrix nonzero before the
    /// simplex first looks at the clock (measured: about 1.5 s for a 1,570,000-nonzero value-search
    /// probe of a 1,800-node graph at k = 64), below which the model is not loaded at all.
    static let loadSecondsPerNonzero = 1e-6

    init(model: Model, options: SolveOptions) {
        self.model = model
        self.options = options
        self.monitor = SolveMonitor(options: options)
        self.sign = model.sense == .minimize ? 1 : -1
        if let start = model.feasibleStart(of: options) { pendingStart = [0] + start }
    }

    func solve() -> SolveResult {
        // `--time-limit` is a promise: with less time left than the set-up takes, answer at once (the
        // start if it is feasible, no bound) instead of loading a model the clock cannot stop.
        if monitor.shouldStop || monitor.remainingTime.map({ $0 < Self.loadSecondsPerNonzero * Double(model.rowValues.count) }) == true {
            return limitReached(problem: nil, hasMIPSolution: false)
        }
        pb_glpk_route_output(options.verbosity > .silent ? 1 : 0)
        let problem = GLPKProblemBuilder(model: model).create()
        guard let problem else { return failure("GLPK rejected the model: \(lastOutput)") }
        var problemAlive = true
        defer { pb_glpk_finish(problemAlive ? problem : nil) }
        glp_scale_prob(problem, GLP_SF_AUTO)

        var simplexParameters = glp_smcp()
        glp_init_smcp(&simplexParameters)
        simplexParameters.msg_lev = messageLevel
        var simplexCode: Int32 = 0
        // glp_simplex has no callback, so it runs in slices of at most simplexSlice seconds while a
        // limit or a stop flag is set; each slice resumes from the basis the last one left.
        let sliced = options.timeLimit != nil || options.stopFlag != nil
        repeat {
            if sliced { simplexParameters.tm_lim = milliseconds(Swift.min(monitor.remainingTime ?? .infinity, Self.simplexSlice)) }
            guard pb_glpk_simplex(problem, &simplexParameters, &simplexCode) == 0 else {
                problemAlive = false
                return failure("GLPK failed in the simplex method: \(lastOutput)")
            }
        } while sliced && simplexCode == GLP_ETMLIM && !monitor.shouldStop
        switch simplexCode {
        case 0: break
        case GLP_ETMLIM: return limitReached(problem: problem, hasMIPSolution: false)
        default: return failure("GLPK's simplex method stopped with code \(simplexCode)")
        }
        switch glp_get_status(problem) {
        case GLP_OPT: break
        case GLP_NOFEAS: return ended(.infeasible, bound: .infinity)
        case GLP_UNBND: return ended(.unbounded, bound: -.infinity)
        default: return failure("GLPK's root relaxation ended with status \(glp_get_status(problem))")
        }
        provenBound = glp_get_obj_val(problem) * sign
        guard model.hasIntegerVariables else {
            let values = (0..<model.variableCount).map { glp_get_col_prim(problem, Int32($0 + 1)) }
            let objective = model.objectiveValue(at: values)
            return SolveResult(status: .optimal, objective: objective, bestBound: objective, values: values,
                               seconds: monitor.elapsed, nodes: 0)
        }

        // glp_intopt's set-up, before it first looks at the clock, takes a few microseconds per
        // nonzero: seconds on a model with hundreds of thousands of rows (a single-block model of a
        // 20,000-node graph). With less time left than that, the root relaxation's bound is the answer.
        if monitor.shouldStop || monitor.remainingTime.map({ $0 < Self.intoptSetupSecondsPerNonzero * Double(model.rowValues.count) }) == true {
            return limitReached(problem: problem, hasMIPSolution: false)
        }

        var parameters = glp_iocp()
        glp_init_iocp(&parameters)
        parameters.msg_lev = messageLevel
        parameters.presolve = GLP_OFF
        parameters.gmi_cuts = GLP_ON
        parameters.mir_cuts = GLP_ON
        parameters.cov_cuts = GLP_ON
        parameters.clq_cuts = GLP_ON
        parameters.mip_gap = options.relativeGap ?? GLPKSolver.defaultRelativeGap
        parameters.tol_obj = Self.objectiveTolerance
        if let remaining = monitor.remainingTime { parameters.tm_lim = milliseconds(remaining) }
        parameters.cb_func = { tree, info in
            guard let tree, let info else { return }
            Unmanaged<GLPKRun>.fromOpaque(info).takeUnretainedValue().callback(tree)
        }
        let context = Unmanaged.passRetained(self)
        defer { context.release() }
        parameters.cb_info = context.toOpaque()
        var intoptCode: Int32 = 0
        guard pb_glpk_intopt(problem, &parameters, &intoptCode) == 0 else {
            problemAlive = false
            return failure("GLPK failed in branch-and-cut: \(lastOutput)")
        }
        let mipStatus = glp_mip_status(problem)
        let hasSolution = mipStatus == GLP_OPT || mipStatus == GLP_FEAS
        switch intoptCode {
        case 0 where mipStatus == GLP_OPT:
            // The search finished: the incumbent is optimal within GLPK's own pruning.
            provenBound = glp_mip_obj_val(problem) * sign
            return solutionResult(problem, status: .optimal)
        case 0 where mipStatus == GLP_NOFEAS:
            return ended(.infeasible, bound: .infinity)
        case GLP_EMIPGAP where hasSolution:
            return solutionResult(problem, status: .optimal)
        case GLP_ESTOP where hasSolution && terminationReason == .absoluteGap:
            return solutionResult(problem, status: .optimal)
        case GLP_ETMLIM, GLP_ESTOP, GLP_EMIPGAP:
            return limitReached(problem: problem, hasMIPSolution: hasSolution)
        default:
            return failure("GLPK's branch-and-cut stopped with code \(intoptCode), status \(mipStatus)")
        }
    }

    /// The branch-and-cut callback: hands over the start, raises the bound, reports progress
    /// and ends the search on the node limit, the absolute gap, the stop flag or the clock.
    func callback(_ tree: OpaquePointer) {
        let reason = glp_ios_reason(tree)
        if reason == GLP_IPREPRO { processedNodes += 1 }
        if reason == GLP_IHEUR, var start = pendingStart {
            pendingStart = nil
            _ = glp_ios_heur_sol(tree, &start)
        }
        let incumbent = incumbentValue(tree)
        var stopping = monitor.shouldStop
        if let nodeLimit = options.nodeLimit, reason == GLP_IPREPRO, processedNodes > Swift.max(1, nodeLimit) {
            // This subproblem will not be processed.
            processedNodes -= 1
            stopping = true
        }
        // glp_ios_best_node walks the active list, so the bound is refreshed now and then
        // (a stale bound is still proven, only weaker) and always before the search ends.
        let now = monitor.elapsed
        if stopping || reason == GLP_IBINGO || options.absoluteGap != nil || now - lastBoundRefresh >= 0.05 {
            lastBoundRefresh = now
            refreshBound(tree, incumbent: incumbent)
            monitor.report(incumbent: incumbent.map { $0 * sign + model.objectiveConstant },
                           bestBound: reportedBound(provenBound), nodes: processedNodes, force: reason == GLP_IBINGO)
        }
        if let incumbent, let absoluteGap = options.absoluteGap, incumbent - provenBound <= absoluteGap {
            terminationReason = .absoluteGap
            glp_ios_terminate(tree)
        } else if stopping {
            terminationReason = .limit
            glp_ios_terminate(tree)
        }
    }

    /// Raises the proven bound to the best bound of the active subproblems (never past the incumbent).
    private func refreshBound(_ tree: OpaquePointer, incumbent: Double?) {
        let bestNode = glp_ios_best_node(tree)
        if bestNode != 0 {
            let nodeBound = glp_ios_node_bound(tree, bestNode) * sign
            if nodeBound.isFinite, Swift.abs(nodeBound) < 1e300 { provenBound = Swift.max(provenBound, nodeBound) }
        }
        if let incumbent { provenBound = Swift.min(provenBound, Self.pruningLimit(incumbent)) }
    }

    /// The incumbent's objective as if minimising (without the constant), if GLPK has one.
    private func incumbentValue(_ tree: OpaquePointer) -> Double? {
        let problem = glp_ios_get_prob(tree)
        let status = glp_mip_status(problem)
        guard status == GLP_OPT || status == GLP_FEAS else { return nil }
        return glp_mip_obj_val(problem) * sign
    }

    private var messageLevel: Int32 {
        switch options.verbosity {
        case .silent: GLP_MSG_OFF
        case .summary: GLP_MSG_ERR
        case .normal: GLP_MSG_ON
        case .verbose: GLP_MSG_ALL
        }
    }

    private var lastOutput: String {
        String(cString: pb_glpk_last_output()).split(separator: "\n").suffix(3).joined(separator: " | ")
    }

    private func milliseconds(_ seconds: Double) -> Int32 {
        Int32(Swift.min(Double(Int32.max), Swift.max(1, (seconds * 1000).rounded(.up))))
    }

    private func reportedBound(_ bound: Double) -> Double { bound * sign + model.objectiveConstant }

    private func solutionResult(_ problem: OpaquePointer, status: SolveStatus) -> SolveResult {
        let values = (0..<model.variableCount).map { glp_mip_col_val(problem, Int32($0 + 1)) }
        let objective = model.objectiveValue(at: values)
        let bound = Swift.min(provenBound, Self.pruningLimit((objective - model.objectiveConstant) * sign))
        return SolveResult(status: status, objective: objective, bestBound: reportedBound(bound), values: values,
                           seconds: monitor.elapsed, nodes: processedNodes)
    }

    private func limitReached(problem: OpaquePointer?, hasMIPSolution: Bool) -> SolveResult {
        if hasMIPSolution, let problem { return solutionResult(problem, status: .limitReachedWithSolution) }
        if let start = model.feasibleStart(of: options) {
            let objective = model.objectiveValue(at: start)
            let bound = reportedBound(Swift.min(provenBound, Self.pruningLimit((objective - model.objectiveConstant) * sign)))
            return SolveResult(status: .limitReachedWithSolution, objective: objective, bestBound: bound, values: start,
                               seconds: monitor.elapsed, nodes: processedNodes)
        }
        return ended(.limitReachedWithoutSolution, bound: provenBound)
    }

    private func ended(_ status: SolveStatus, bound: Double) -> SolveResult {
        SolveResult(status: status, objective: nil, bestBound: reportedBound(bound), values: [], seconds: monitor.elapsed,
                    nodes: processedNodes)
    }

    private func failure(_ message: String) -> SolveResult {
        SolveResult(status: .error(message), objective: nil, bestBound: sign * -.infinity, values: [],
                    seconds: monitor.elapsed, nodes: processedNodes)
    }
}
