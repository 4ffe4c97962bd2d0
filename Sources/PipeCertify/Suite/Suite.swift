import Foundation
import MIP
import PipeBounds
import PipeImport
import PipePartition

/// A regression suite (`pipebound.suite`, version 1): models, stage counts, methods and
/// deterministic limits, plus where its goldens live. Paths are relative to the suite file.
///
///     {"format": "pipebound.suite", "version": 1, "name": "ci",
///      "solver": "cbc", "seed": 1, "node_limit": 200, "tolerance": 1e-6,
///      "partition_methods": ["slice", "brkga-100"],
///      "bound_methods": ["combinatorial", "single-block", "guess-block", "value-search", "exact"],
///      "expected": "expected/ci",
///      "instances": [{"model": "models/squeezenet.json", "stages": [2, 4, 8]}]}
public struct Suite: Codable, Sendable {
    /// The `format` field's value.
    public static let formatName = "pipebound.suite"

    /// Always ``formatName``.
    public var format: String
    /// 1.
    public var version: Int
    /// A short name; results and goldens carry it.
    public var name: String
    /// The MIP backend.
    public var solver: String
    /// Seed of the randomised partition methods.
    public var seed: UInt64
    /// Branch-and-bound node limit per MIP. Goldens must not depend on wall-clock time, so
    /// suites use node limits and no time limit.
    public var nodeLimit: Int?
    /// Relative tolerance of the golden comparison (float noise across machines).
    public var tolerance: Double
    /// Partition methods, run in this order.
    public var partitionMethods: [String]
    /// Lower-bound methods, each run on its own from the combinatorial bound.
    public var boundMethods: [String]
    /// The goldens' directory, relative to the suite file.
    public var expected: String
    /// Models and their stage counts.
    public var instances: [Entry]

    /// One model of the suite.
    public struct Entry: Codable, Sendable {
        /// The model file, relative to the suite file.
        public var model: String
        /// The stage counts to certify it at.
        public var stages: [Int]
    }

    enum CodingKeys: String, CodingKey {
        case format, version, name, solver, seed
        case nodeLimit = "node_limit"
        case tolerance
        case partitionMethods = "partition_methods"
        case boundMethods = "bound_methods"
        case expected, instances
    }

    /// The directory the suite file is in; every relative path in it starts there.
    public var baseDirectory: String = "."

    /// Reads and checks a suite file. Throws ``PipeImport/InputError`` naming the file and the problem.
    public static func load(path: String) throws -> Suite {
        let data = try InputFile.data(path: path)
        var suite: Suite
        do {
            suite = try JSONDecoder().decode(Suite.self, from: data)
        } catch {
            throw InputError(file: path, problem: JSONErrorText.describe(error))
        }
        guard suite.format == formatName else { throw InputError(file: path, problem: "field 'format' is '\(suite.format)', expected '\(formatName)'") }
        guard suite.version == 1 else { throw InputError(file: path, problem: "field 'version' is \(suite.version); this build reads version 1") }
        for method in suite.partitionMethods where PartitionMethod(rawValue: method) == nil {
            throw InputError(file: path, problem: "partition_methods: unknown method '\(method)'")
        }
        for method in suite.boundMethods where LowerBoundMethod(rawValue: method) == nil {
            throw InputError(file: path, problem: "bound_methods: unknown method '\(method)'")
        }
        guard !suite.partitionMethods.isEmpty else { throw InputError(file: path, problem: "partition_methods is empty") }
        guard suite.tolerance >= 0, suite.tolerance < 1 else { throw InputError(file: path, problem: "tolerance must be in [0, 1)") }
        for (position, entry) in suite.instances.enumerated() {
            guard !entry.stages.isEmpty, entry.stages.allSatisfy({ $0 >= 1 }) else {
                throw InputError(file: path, problem: "instances[\(position)].stages: give one or more stage counts ≥ 1")
            }
        }
        suite.baseDirectory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        return suite
    }

    /// Every (model, k) of the suite, in a fixed order; the unit of work, sharding and goldens.
    public var allInstances: [SuiteInstance] {
        var result: [SuiteInstance] = []
        for entry in instances {
            for stageCount in entry.stages {
                result.append(SuiteInstance(index: result.count, model: entry.model, stageCount: stageCount))
            }
        }
        return result
    }

    /// A path of the suite resolved against its directory.
    public func resolve(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : URL(fileURLWithPath: baseDirectory).appendingPathComponent(relative).path
    }

    /// The certify options every instance runs with: the suite's methods, measured one by one,
    /// with `solver`, the backend the caller resolved from ``solver`` (a suite names it).
    public func certifyOptions(solver: any MIPSolver) -> CertifyOptions {
        var plan: [CertifyStep] = partitionMethods.compactMap(PartitionMethod.init(rawValue:)).map { .partition($0) }
        var bounds = boundMethods.compactMap(LowerBoundMethod.init(rawValue:))
        // The combinatorial bound is the starting point of the others, so it always runs first.
        bounds.removeAll { $0 == .combinatorial }
        plan.insert(.bound(.combinatorial, budgetShare: 1), at: 0)
        plan += bounds.map { .bound($0, budgetShare: 1) }
        return CertifyOptions(solver: solver, timeLimit: nil, nodeLimit: nodeLimit, targetRatio: 0.999, seed: seed,
                              threads: 1, plan: plan, measuresEachMethod: true)
    }
}

/// One (model, k) of a suite.
public struct SuiteInstance: Codable, Sendable, Hashable {
    /// Position in ``Suite/allInstances``.
    public var index: Int
    /// The model path as written in the suite.
    public var model: String
    /// k.
    public var stageCount: Int

    /// A stable name, `MODEL-STEM/kK`, used in tables.
    public var identifier: String { "\(modelStem)/k\(stageCount)" }

    /// The golden's file name, `MODEL-STEM-kK.json`.
    public var goldenFileName: String { "\(modelStem)-k\(stageCount).json" }

    private var modelStem: String { URL(fileURLWithPath: model).deletingPathExtension().lastPathComponent }
}
