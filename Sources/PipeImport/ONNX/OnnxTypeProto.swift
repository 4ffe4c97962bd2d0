import Foundation
import SwiftProtobuf

/// `onnx.TypeProto`; only the tensor case (field 1) is read, sequences and maps are ignored.
struct OnnxTypeProto: SwiftProtobuf.Message {
    static let protoMessageName = "onnx.TypeProto"
    var unknownFields = SwiftProtobuf.UnknownStorage()

    /// The tensor type, when the value is a tensor (field 1).
    var tensorType: OnnxTensorTypeProto?

    init() {}

    mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeSingularMessageField(value: &tensorType)
            default: break
            }
        }
    }

    func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if let tensorType { try visitor.visitSingularMessageField(value: tensorType, fieldNumber: 1) }
        try unknownFields.traverse(visitor: &visitor)
    }

    func isEqualTo(message: any SwiftProtobuf.Message) -> Bool { OnnxProtoEquality.sameBytes(self, message) }
}

/// `onnx.TypeProto.Tensor`: element type and (possibly partial) shape.
struct OnnxTensorTypeProto: SwiftProtobuf.Message {
    static let protoMessageName = "onnx.TypeProto.Tensor"
    var unknownFields = SwiftProtobuf.UnknownStorage()

    /// Element type, `TensorProto.DataType` (field 1).
    var elemType: Int32 = 0
    /// The shape; absent when unknown (field 2).
    var shape: OnnxTensorShapeProto?

    init() {}

    mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeSingularInt32Field(value: &elemType)
            case 2: try decoder.decodeSingularMessageField(value: &shape)
            default: break
            }
        }
    }

    func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if elemType != 0 { try visitor.visitSingularInt32Field(value: elemType, fieldNumber: 1) }
        if let shape { try visitor.visitSingularMessageField(value: shape, fieldNumber: 2) }
        try unknownFields.traverse(visitor: &visitor)
    }

    func isEqualTo(message: any SwiftProtobuf.Message) -> Bool { OnnxProtoEquality.sameBytes(self, message) }
}
