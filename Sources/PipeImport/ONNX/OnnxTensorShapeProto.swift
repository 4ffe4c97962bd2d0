import Foundation
import SwiftProtobuf

/// `onnx.TensorShapeProto`: a list of dimensions, each a number or a symbolic name.
struct OnnxTensorShapeProto: SwiftProtobuf.Message {
    static let protoMessageName = "onnx.TensorShapeProto"
    var unknownFields = SwiftProtobuf.UnknownStorage()

    /// The dimensions (field 1).
    var dim: [Dimension] = []

    init() {}

    /// `onnx.TensorShapeProto.Dimension`: `dim_value` or `dim_param` (a oneof).
    struct Dimension: SwiftProtobuf.Message {
        static let protoMessageName = "onnx.TensorShapeProto.Dimension"
        var unknownFields = SwiftProtobuf.UnknownStorage()

        /// A fixed size (field 1); nil when absent.
        var dimValue: Int64?
        /// A symbolic size such as `batch` (field 2); nil when absent.
        var dimParam: String?

        init() {}

        mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
            while let field = try decoder.nextFieldNumber() {
                switch field {
                case 1: try decoder.decodeSingularInt64Field(value: &dimValue)
                case 2: try decoder.decodeSingularStringField(value: &dimParam)
                default: break
                }
            }
        }

        func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
            if let dimValue { try visitor.visitSingularInt64Field(value: dimValue, fieldNumber: 1) }
            if let dimParam { try visitor.visitSingularStringField(value: dimParam, fieldNumber: 2) }
            try unknownFields.traverse(visitor: &visitor)
        }

        func isEqualTo(message: any SwiftProtobuf.Message) -> Bool { OnnxProtoEquality.sameBytes(self, message) }
    }

    mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeRepeatedMessageField(value: &dim)
            default: break
            }
        }
    }

    func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if !dim.isEmpty { try visitor.visitRepeatedMessageField(value: dim, fieldNumber: 1) }
        try unknownFields.traverse(visitor: &visitor)
    }

    func isEqualTo(message: any SwiftProtobuf.Message) -> Bool { OnnxProtoEquality.sameBytes(self, message) }
}
