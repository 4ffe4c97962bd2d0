import Foundation
import PipeGraph
import SwiftProtobuf

/// Decodes protobuf text format with SwiftProtobuf and turns its errors, which carry no
/// position, into one line naming the line of the text and the problem.
enum ProtobufTextErrors {
    /// The message of type `M` in `text`; unknown fields are skipped. Throws a ``GraphError``
    /// such as `line 4: field 'compute_cost': 'lots' is not a finite number`.
    static func decode<M: SwiftProtobuf.Message>(_ type: M.Type, from text: String) throws -> M {
        do {
            return try M(textFormatString: text, options: options)
        } catch let error as TextFormatDecodingError {
            throw GraphError(describe(error, in: text, as: type))
        }
    }

    private static var options: TextFormatDecodingOptions {
        var options = TextFormatDecodingOptions()
        options.ignoreUnknownFields = true
        return options
    }

    /// The error as one line. A text cut after the offending line (its open messages closed)
    /// fails the same way, as the decoder reads in order, while a cut before it decodes: so the
    /// offending line is the first whose closed prefix fails, found by bisection, only when
    /// decoding already failed.
    private static func describe<M: SwiftProtobuf.Message>(_ error: TextFormatDecodingError, in text: String, as type: M.Type) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if let unclosed = openMessages(in: lines[...]).last {
            return "line \(unclosed.line): this '\(unclosed.opener)' is not closed"
        }
        func failsWithinPrefix(_ count: Int) -> Bool {
            let prefix = lines.prefix(count)
            let closers = openMessages(in: prefix).reversed().map { $0.opener == "{" ? "}" : ">" }
            return (try? M(textFormatString: prefix.joined(separator: "\n") + "\n" + closers.joined(separator: " "), options: options)) == nil
        }
        var low = 1, high = lines.count
        while low < high {
            let middle = (low + high) / 2
            if failsWithinPrefix(middle) { high = middle } else { low = middle + 1 }
        }
        let line = lines.isEmpty ? "" : lines[low - 1].trimmingCharacters(in: .whitespaces)
        let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
        switch error {
        case .malformedNumber where parts.count == 2:
            return "line \(low): field '\(parts[0])': '\(parts[1])' is not a finite number"
        case .malformedNumber:
            return "line \(low): a number is malformed ('\(line)')"
        case .unrecognizedEnumValue:
            return "line \(low): unknown enum value ('\(line)')"
        case .invalidUTF8:
            return "line \(low): a string is not valid UTF-8"
        case .messageDepthLimit:
            return "line \(low): messages nested too deeply"
        case .trailingGarbage:
            return "line \(low): unexpected text after the message ('\(line)')"
        default:
            if parts.count == 2, !parts[1].hasSuffix("{"), !parts[1].hasSuffix("<") {
                return "line \(low): field '\(parts[0])' cannot hold '\(parts[1])'"
            }
            return "line \(low): malformed protobuf text ('\(line)')"
        }
    }

    /// The messages still open at the end of `lines`: each opening brace (`{` or `<`) and its
    /// line, outermost first. Quoted strings and `#` comments are skipped.
    private static func openMessages(in lines: ArraySlice<Substring>) -> [(opener: Character, line: Int)] {
        var open: [(opener: Character, line: Int)] = []
        for (offset, line) in lines.enumerated() {
            var quote: Character?
            var escaped = false
            characters: for character in line {
                if let active = quote {
                    if escaped { escaped = false } else if character == "\\" { escaped = true } else if character == active { quote = nil }
                    continue
                }
                switch character {
                case "#": break characters
                case "\"", "'": quote = character
                case "{", "<": open.append((character, lines.startIndex + offset + 1))
                case "}", ">": if !open.isEmpty { open.removeLast() }
                default: break
                }
            }
        }
        return open
    }
}
