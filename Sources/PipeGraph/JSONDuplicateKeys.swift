import Foundation

/// Finds keys that appear twice in one JSON object.
///
/// JSON readers disagree on such objects (Foundation's decoder keeps the first value, most others
/// the last), so the graph readers refuse them instead of guessing (docs/graph-format.md). The
/// scan is one pass over the bytes; text that is not valid JSON is left to the decoder to report.
public enum JSONDuplicateKeys {
    /// "nodes[0]: duplicate key 'work'" for the first key repeated within one object, or nil.
    public static func firstDuplicate(in data: Data) -> String? {
        data.withUnsafeBytes { raw in
            var scanner = Scanner(bytes: raw.bindMemory(to: UInt8.self))
            return scanner.run()
        }
    }

    /// One open object or array and where the scan is inside it.
    private struct Frame {
        var isObject: Bool
        /// Objects: the keys seen so far.
        var keys: Set<String> = []
        /// Objects: whether the next string is a key.
        var expectsKey = true
        /// Objects: the key whose value is being read.
        var currentKey = ""
        /// Arrays: the index of the element being read.
        var index = 0
    }

    private struct Scanner {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        var stack: [Frame] = []

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func run() -> String? {
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "{"): stack.append(Frame(isObject: true))
                case UInt8(ascii: "["): stack.append(Frame(isObject: false))
                case UInt8(ascii: "}"), UInt8(ascii: "]"): if !stack.isEmpty { stack.removeLast() }
                case UInt8(ascii: ","):
                    guard !stack.isEmpty else { return nil }
                    if stack[stack.count - 1].isObject { stack[stack.count - 1].expectsKey = true } else { stack[stack.count - 1].index += 1 }
                case UInt8(ascii: "\""):
                    if let top = stack.last, top.isObject, top.expectsKey {
                        guard let key = readString() else { return nil }
                        if stack[stack.count - 1].keys.insert(key).inserted == false {
                            return "\(path()): duplicate key '\(key)'"
                        }
                        stack[stack.count - 1].expectsKey = false
                        stack[stack.count - 1].currentKey = key
                    } else {
                        guard skipString() else { return nil }
                    }
                default: break
                }
            }
            return nil
        }

        /// The place of the innermost open object, as the decoders' messages write it.
        func path() -> String {
            var text = ""
            for frame in stack.dropLast() {
                if frame.isObject { text += (text.isEmpty ? "" : ".") + frame.currentKey } else { text += "[\(frame.index)]" }
            }
            return text.isEmpty ? "top level" : text
        }

        /// Skips a string's body and its closing quote; false when the text ends first.
        mutating func skipString() -> Bool {
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: "\\") { position += 1 } else if byte == UInt8(ascii: "\"") { return true }
            }
            return false
        }

        /// Reads a string's body with its escapes decoded (so "w\u006frk" and "work" are one key).
        mutating func readString() -> String? {
            let start = position
            guard skipString() else { return nil }
            let body = UnsafeBufferPointer(rebasing: bytes[start..<(position - 1)])
            guard body.contains(UInt8(ascii: "\\")) else { return String(decoding: body, as: UTF8.self) }
            // Rare: let Foundation decode the escapes of this one quoted string.
            let quoted = Data(bytes[(start - 1)..<position])
            return (try? JSONSerialization.jsonObject(with: quoted, options: [.fragmentsAllowed])) as? String
        }
    }
}
