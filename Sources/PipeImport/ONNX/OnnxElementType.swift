/// ONNX tensor element types (`TensorProto.DataType`) and what PipeBound needs to know about them.
struct OnnxElementType: Hashable, Sendable, CustomStringConvertible {
    /// The `TensorProto.DataType` number.
    var rawValue: Int32

    static let undefined = OnnxElementType(rawValue: 0)
    static let float = OnnxElementType(rawValue: 1)
    static let uint8 = OnnxElementType(rawValue: 2)
    static let int8 = OnnxElementType(rawValue: 3)
    static let uint16 = OnnxElementType(rawValue: 4)
    static let int16 = OnnxElementType(rawValue: 5)
    static let int32 = OnnxElementType(rawValue: 6)
    static let int64 = OnnxElementType(rawValue: 7)
    static let string = OnnxElementType(rawValue: 8)
    static let bool = OnnxElementType(rawValue: 9)
    static let float16 = OnnxElementType(rawValue: 10)
    static let double = OnnxElementType(rawValue: 11)
    static let uint32 = OnnxElementType(rawValue: 12)
    static let uint64 = OnnxElementType(rawValue: 13)
    static let bfloat16 = OnnxElementType(rawValue: 16)

    /// Floating-point types, whose size the cost profile may override (to model fp16 inference of an fp32 export).
    var isFloatingPoint: Bool { [1, 10, 11, 16, 17, 18, 19, 20].contains(rawValue) }

    /// Integer and boolean types: integer division truncates, casts to them truncate.
    var isInteger: Bool { [2, 3, 4, 5, 6, 7, 9, 12, 13].contains(rawValue) }

    /// Bytes per element as stored (strings and unknown types count as 8; 4-bit and 2-bit types as 1).
    var byteSize: Int {
        switch rawValue {
        case 2, 3, 9, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28: return 1
        case 4, 5, 10, 16: return 2
        case 1, 6, 12: return 4
        default: return 8
        }
    }

    var description: String {
        let names: [Int32: String] = [0: "undefined", 1: "float", 2: "uint8", 3: "int8", 4: "uint16", 5: "int16", 6: "int32",
                                      7: "int64", 8: "string", 9: "bool", 10: "float16", 11: "double", 12: "uint32",
                                      13: "uint64", 16: "bfloat16"]
        return names[rawValue] ?? "type \(rawValue)"
    }
}
