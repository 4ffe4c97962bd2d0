import Foundation
import PipeImport

/// The expected result of one suite instance (`pipebound.golden`, version 1): the values a
/// change must not make worse. No times and no node lists, so goldens only change when results do.
public struct Golden: Codable, Sendable, Equatable {
    /// The `format` field's value.
    public static let formatName = "pipebound.golden"

    /// Always ``formatName``.
    public var format: String = Golden.formatName
    /// 1.
    public var version: Int = 1
    /// The model path as written in the suite.
    public var model: String
    /// k.
    public var stages: Int
    /// The best bottleneck found and its method.
    public var upperBound: Certificate.LowerBound
    /// The best proven bound and its method.
    public var lowerBound: Certificate.LowerBound
    /// Every method's value and status.
    public var bounds: [Entry]

    /// One method's expected outcome.
    public struct Entry: Codable, Sendable, Equatable {
        /// The method.
        public var method: String
        /// Upper or lower.
        public var kind: BoundRecord.Kind
        /// Its value.
        public var value: Double
        /// Its status.
        public var status: String
    }

    enum CodingKeys: String, CodingKey {
        case format, version, model, stages
        case upperBound = "upper_bound"
        case lowerBound = "lower_bound"
        case bounds
    }

    /// The golden recording `certificate` for `instance`.
    public init(instance: SuiteInstance, certificate: Certificate) {
        model = instance.model
        stages = instance.stageCount
        upperBound = Certificate.LowerBound(value: certificate.upperBound.value, method: certificate.upperBound.method)
        lowerBound = certificate.lowerBound
        bounds = certificate.bounds.map { Entry(method: $0.method, kind: $0.kind, value: $0.value, status: $0.status.rawValue) }
    }

    /// Reads the golden of `instance` from `directory`; nil when there is none.
    public static func read(for instance: SuiteInstance, in directory: String) throws -> Golden? {
        let path = URL(fileURLWithPath: directory).appendingPathComponent(instance.goldenFileName).path
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let golden = try JSONDecoder().decode(Golden.self, from: try InputFile.data(path: path))
            guard golden.format == formatName else { throw InputError(file: path, problem: "field 'format' is not '\(formatName)'") }
            return golden
        } catch let error as InputError {
            throw error
        } catch {
            throw InputError(file: path, problem: JSONErrorText.describe(error))
        }
    }

    /// Writes this golden for `instance` into `directory` (created if needed).
    public func write(for instance: SuiteInstance, in directory: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let path = URL(fileURLWithPath: directory).appendingPathComponent(instance.goldenFileName).path
        try OutputFile.write(String(decoding: try encoder.encode(self), as: UTF8.self) + "\n", to: path)
    }
}
