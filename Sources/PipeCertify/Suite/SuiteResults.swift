import Foundation
import PipeImport

/// The results of running a suite or a shard of it (`pipebound.suite-results`, version 1):
/// what `regress --results` writes, `merge` combines and `summary` tabulates.
public struct SuiteResults: Codable, Sendable {
    /// The `format` field's value.
    public static let formatName = "pipebound.suite-results"

    /// Always ``formatName``.
    public var format: String = SuiteResults.formatName
    /// 1.
    public var version: Int = 1
    /// The suite's name.
    public var suite: String
    /// The shard these results cover (`I/N`), nil for a whole suite or a merge.
    public var shard: String?
    /// How many instances the whole suite has (to tell a complete merge from a partial one).
    public var totalInstances: Int
    /// One entry per instance run, in suite order.
    public var instances: [InstanceResult]

    enum CodingKeys: String, CodingKey {
        case format, version, suite, shard
        case totalInstances = "total_instances"
        case instances
    }

    public init(suite: String, shard: String?, totalInstances: Int, instances: [InstanceResult]) {
        self.suite = suite
        self.shard = shard
        self.totalInstances = totalInstances
        self.instances = instances
    }

    /// The results as pretty-printed JSON with sorted keys.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// Reads a results file. Throws ``PipeImport/InputError``.
    public static func read(path: String) throws -> SuiteResults {
        let data = try InputFile.data(path: path)
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let results: SuiteResults
        do {
            results = try decoder.decode(SuiteResults.self, from: data)
        } catch {
            throw InputError(file: path, problem: JSONErrorText.describe(error))
        }
        guard results.format == formatName else {
            throw InputError(file: path, problem: "field 'format' is '\(results.format)', expected '\(formatName)'")
        }
        return results
    }

    /// Combines shard results of one suite into one, in suite order. Throws ``SuiteError`` for
    /// results of different suites or an instance present twice.
    public static func merge(_ parts: [SuiteResults]) throws -> SuiteResults {
        guard let first = parts.first else { throw SuiteError("nothing to merge") }
        var seen: [Int: InstanceResult] = [:]
        for part in parts {
            guard part.suite == first.suite else {
                throw SuiteError("results of suite '\(part.suite)' cannot be merged with results of suite '\(first.suite)'")
            }
            for instance in part.instances {
                if seen.updateValue(instance, forKey: instance.instance.index) != nil {
                    throw SuiteError("instance \(instance.instance.identifier) appears in more than one file")
                }
            }
        }
        let total = parts.map(\.totalInstances).max() ?? 0
        return SuiteResults(suite: first.suite, shard: nil, totalInstances: total,
                            instances: seen.values.sorted { $0.instance.index < $1.instance.index })
    }
}

/// The result of one (model, k).
public struct InstanceResult: Codable, Sendable {
    /// Which instance.
    public var instance: SuiteInstance
    /// The certificate (nil when the model could not be read or no partition was found).
    public var certificate: Certificate?
    /// Everything wrong: an unreadable model, an invalid partition, LB > UB. Empty when sound.
    public var problems: [String]

    public init(instance: SuiteInstance, certificate: Certificate?, problems: [String]) {
        self.instance = instance
        self.certificate = certificate
        self.problems = problems
    }
}

/// A suite-level failure (mismatched results, unreadable goldens): one line.
public struct SuiteError: Error, CustomStringConvertible, Sendable {
    /// The line.
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
