import Foundation
import PipeGraph

/// A message in protobuf text format, parsed without a schema: fields in file order, each a
/// scalar token or a nested message. Tolerant of what text writers vary in (`:` before a
/// message, `<…>` braces, `,`/`;` separators, `#` comments, single or double quotes).
struct ProtobufTextMessage {
    /// One field: its name and value.
    struct Field {
        /// The field's name.
        var name: String
        /// Its value.
        var value: ProtobufTextValue
    }

    /// The fields in file order (repeated fields appear several times).
    var fields: [Field] = []
    /// The line the message starts on (for errors).
    var line: Int = 1

    /// Every nested message called `name`.
    func messages(_ name: String) -> [ProtobufTextMessage] {
        fields.compactMap { field in
            guard field.name == name, case let .message(message) = field.value else { return nil }
            return message
        }
    }

    /// Every scalar called `name`, with its line.
    func scalars(_ name: String) -> [(text: String, line: Int)] {
        fields.compactMap { field in
            guard field.name == name, case let .scalar(text, line) = field.value else { return nil }
            return (text, line)
        }
    }

    /// The last scalar called `name` as a number; throws when it is not one.
    func number(_ name: String) throws -> Double? {
        guard let (text, line) = scalars(name).last else { return nil }
        guard let value = Double(text), value.isFinite else { throw GraphError("line \(line): field '\(name)': '\(text)' is not a finite number") }
        return value
    }

    /// Parses a whole document (the top-level message has no braces).
    static func parse(_ data: Data) throws -> ProtobufTextMessage {
        guard let text = String(data: data, encoding: .utf8) else { throw GraphError("not UTF-8 text") }
        var parser = ProtobufTextParser(text: text)
        return try parser.parseDocument()
    }
}

/// A field's value in a ``ProtobufTextMessage``.
indirect enum ProtobufTextValue {
    /// A scalar as written (strings unquoted and unescaped).
    case scalar(String, line: Int)
    /// A nested message.
    case message(ProtobufTextMessage)
}

/// The recursive-descent parser behind ``ProtobufTextMessage/parse(_:)``.
private struct ProtobufTextParser {
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1
    /// Deeper nesting than this is rejected rather than risking the stack.
    private let depthLimit = 64

    init(text: String) { bytes = Array(text.utf8) }

    mutating func parseDocument() throws -> ProtobufTextMessage {
        let message = try parseFields(until: nil, depth: 0)
        return message
    }

    private func failure(_ problem: String) -> GraphError { GraphError("line \(line): \(problem)") }

    private mutating func skipBlanks() {
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "#") {
                while position < bytes.count && bytes[position] != 0x0A { position += 1 }
            } else if byte == 0x0A {
                line += 1
                position += 1
            } else if byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") {
                position += 1
            } else {
                return
            }
        }
    }

    private mutating func parseFields(until closing: UInt8?, depth: Int) throws -> ProtobufTextMessage {
        guard depth <= depthLimit else { throw failure("messages nested more than \(depthLimit) deep") }
        var message = ProtobufTextMessage(line: line)
        while true {
            skipBlanks()
            guard position < bytes.count else {
                if closing != nil { throw failure("unexpected end of file: a message opened on line \(message.line) is not closed") }
                return message
            }
            if let closing, bytes[position] == closing {
                position += 1
                return message
            }
            let name = try identifier()
            skipBlanks()
            var sawColon = false
            if position < bytes.count && bytes[position] == UInt8(ascii: ":") {
                position += 1
                sawColon = true
                skipBlanks()
            }
            guard position < bytes.count else { throw failure("field '\(name)' has no value") }
            let opener = bytes[position]
            if opener == UInt8(ascii: "{") || opener == UInt8(ascii: "<") {
                position += 1
                let nested = try parseFields(until: opener == UInt8(ascii: "{") ? UInt8(ascii: "}") : UInt8(ascii: ">"), depth: depth + 1)
                message.fields.append(.init(name: name, value: .message(nested)))
            } else if opener == UInt8(ascii: "[") {
                throw failure("field '\(name)': list syntax [...] is not supported")
            } else {
                guard sawColon else { throw failure("field '\(name)': expected ':' or '{'") }
                let valueLine = line
                message.fields.append(.init(name: name, value: .scalar(try scalar(), line: valueLine)))
            }
        }
    }

    private mutating func identifier() throws -> String {
        let start = position
        while position < bytes.count, Self.isIdentifierByte(bytes[position]) { position += 1 }
        guard position > start else {
            throw failure("expected a field name, found '\(String(decoding: [bytes[position]], as: UTF8.self))'")
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private static func isIdentifierByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-")
            || byte == UInt8(ascii: "+")
    }

    private mutating func scalar() throws -> String {
        let quote = bytes[position]
        guard quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") else { return try identifier() }
        var result = ""
        // Adjacent string literals concatenate, as in protobuf text format.
        while position < bytes.count && (bytes[position] == UInt8(ascii: "\"") || bytes[position] == UInt8(ascii: "'")) {
            let delimiter = bytes[position]
            position += 1
            var raw: [UInt8] = []
            while true {
                guard position < bytes.count, bytes[position] != 0x0A else { throw failure("unterminated string") }
                let byte = bytes[position]
                position += 1
                if byte == delimiter { break }
                if byte == UInt8(ascii: "\\"), position < bytes.count {
                    let escaped = bytes[position]
                    position += 1
                    switch escaped {
                    case UInt8(ascii: "n"): raw.append(0x0A)
                    case UInt8(ascii: "t"): raw.append(0x09)
                    default: raw.append(escaped)
                    }
                } else {
                    raw.append(byte)
                }
            }
            result += String(decoding: raw, as: UTF8.self)
            let save = (position, line)
            skipBlanks()
            if position >= bytes.count || (bytes[position] != UInt8(ascii: "\"") && bytes[position] != UInt8(ascii: "'")) {
                (position, line) = save
                break
            }
        }
        return result
    }
}
