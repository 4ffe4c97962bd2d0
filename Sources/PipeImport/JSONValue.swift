import Foundation
import PipeGraph

/// A parsed JSON document for the tolerant readers, whose fields may be numbers or strings.
enum JSONValue: Decodable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    /// The kind, for error messages.
    var kind: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// Typed access to ``JSONValue``s with errors that name the path.
enum JSONShape {
    /// Whether the first non-blank byte opens a JSON object.
    static func startsWithObject(_ data: Data) -> Bool {
        data.first(where: { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }) == UInt8(ascii: "{")
    }

    /// Parses the top-level object; a key repeated within one object is an error (readers
    /// disagree on which value wins).
    static func object(_ data: Data) throws -> [String: JSONValue] {
        if let duplicate = JSONDuplicateKeys.firstDuplicate(in: data) { throw GraphError(duplicate) }
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: data)
        } catch let error as DecodingError {
            throw GraphError(GraphFile.describe(error, in: data))
        } catch {
            throw GraphError("not valid JSON: \(error.localizedDescription)")
        }
        return try object(value, at: "top level")
    }

    static func object(_ value: JSONValue?, at place: String) throws -> [String: JSONValue] {
        guard let value else { throw GraphError("\(place): missing field") }
        guard case let .object(object) = value else { throw GraphError("\(place): expected an object, found \(value.kind)") }
        return object
    }

    static func array(_ value: JSONValue?, at place: String) throws -> [JSONValue] {
        guard let value else { throw GraphError("\(place): missing field") }
        guard case let .array(array) = value else { throw GraphError("\(place): expected an array, found \(value.kind)") }
        return array
    }

    /// A required finite number.
    static func number(_ value: JSONValue?, at place: String) throws -> Double {
        guard let number = try optionalNumber(value, at: place) else { throw GraphError("\(place): missing field") }
        return number
    }

    /// A finite number, or nil when absent. Null is an error, not "absent": a null size or cap is
    /// more likely a writer's bug than a deliberate 0 or "no cap".
    static func optionalNumber(_ value: JSONValue?, at place: String) throws -> Double? {
        guard let value else { return nil }
        guard value != .null else { throw GraphError("\(place): null is not a number (leave the field out instead)") }
        guard case let .number(number) = value else { throw GraphError("\(place): expected a number, found \(value.kind)") }
        guard number.isFinite else { throw GraphError("\(place): \(number) is not a finite number") }
        return number
    }

    /// An id given as a string or an integer, as a string.
    static func identifier(_ value: JSONValue?, at place: String) throws -> String {
        guard let value else { throw GraphError("\(place): missing field") }
        switch value {
        case let .string(text): return text
        case let .number(number) where number.isFinite:
            if number == number.rounded(), abs(number) < 0x1p53 { return String(Int64(number)) }
            return "\(number)"
        default: throw GraphError("\(place): expected a string or a number, found \(value.kind)")
        }
    }
}
