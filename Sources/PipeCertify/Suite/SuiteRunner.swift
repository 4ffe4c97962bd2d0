import Foundation
import MIP
import PipeGraph
import PipeImport

/// Runs the instances of a suite, several at once, each with deterministic limits.
public enum SuiteRunner {
    /// The MIP backend called by a name (a suite's ``Suite/solver``), or an error naming the
    /// ones available; the caller's catalogue, so that this library never names a backend.
    public typealias SolverFactory = @Sendable (String) throws -> any MIPSolver

    /// Runs `instances` of `suite` on `jobs` worker threads and returns their results in suite
    /// order, each with a backend from `solvers`. `progress` is called (from a worker) as each
    /// instance finishes.
    public static func run(_ suite: Suite, instances: [SuiteInstance], jobs: Int = 1, shard: ShardSpecification? = nil,
                           solvers: @escaping SolverFactory,
                           progress: (@Sendable (InstanceResult, Double) -> Void)? = nil) -> SuiteResults {
        let graphs = GraphCache()
        let queue = WorkQueue(instances)
        let collected = ResultCollector()
        let group = DispatchGroup()
        for _ in 0..<max(1, min(jobs, instances.count)) {
            group.enter()
            let worker = Thread {
                while let instance = queue.next() {
                    let started = Date()
                    let result = runOne(instance, suite: suite, solvers: solvers, graphs: graphs)
                    collected.add(result)
                    progress?(result, Date().timeIntervalSince(started))
                }
                group.leave()
            }
            worker.stackSize = 64 << 20
            worker.start()
        }
        group.wait()
        return SuiteResults(suite: suite.name, shard: shard?.description, totalInstances: suite.allInstances.count,
                            instances: collected.all().sorted { $0.instance.index < $1.instance.index })
    }

    /// Certifies one (model, k) with the suite's options and checks the certificate.
    public static func runOne(_ instance: SuiteInstance, suite: Suite, solvers: SolverFactory,
                              graphs: GraphCache = GraphCache()) -> InstanceResult {
        let graph: ComputationGraph
        do {
            graph = try graphs.graph(at: suite.resolve(instance.model))
        } catch {
            return InstanceResult(instance: instance, certificate: nil, problems: ["cannot load the model: \(error)"])
        }
        let certifier: Certifier
        do {
            certifier = Certifier(graph: graph, options: suite.certifyOptions(solver: try solvers(suite.solver)))
        } catch {
            return InstanceResult(instance: instance, certificate: nil, problems: ["\(error)"])
        }
        guard let result = certifier.run(stageCounts: [instance.stageCount]).first else {
            return InstanceResult(instance: instance, certificate: nil, problems: ["no valid partition found"])
        }
        return InstanceResult(instance: instance, certificate: result.certificate, problems: result.problems(graph: graph))
    }

    /// Models loaded once per run, shared by the workers.
    public final class GraphCache: @unchecked Sendable {
        private let lock = NSLock()
        private var graphs: [String: Result<ComputationGraph, Error>] = [:]

        public init() {}

        /// The graph at `path`, loaded on first use.
        public func graph(at path: String) throws -> ComputationGraph {
            lock.lock()
            defer { lock.unlock() }
            if let cached = graphs[path] { return try cached.get() }
            let loaded = Result { try ModelLoader.load(path: path) }
            graphs[path] = loaded
            return try loaded.get()
        }
    }

    private final class WorkQueue: @unchecked Sendable {
        private let lock = NSLock()
        private var remaining: [SuiteInstance]

        init(_ instances: [SuiteInstance]) { remaining = instances.reversed() }

        func next() -> SuiteInstance? {
            lock.lock(); defer { lock.unlock() }
            return remaining.popLast()
        }
    }

    private final class ResultCollector: @unchecked Sendable {
        private let lock = NSLock()
        private var results: [InstanceResult] = []

        func add(_ result: InstanceResult) {
            lock.lock(); results.append(result); lock.unlock()
        }

        func all() -> [InstanceResult] {
            lock.lock(); defer { lock.unlock() }
            return results
        }
    }
}
