import Foundation
import SwiftProtobuf

/// `onnx.ValueInfoProto`: a value's name and type (element type and shape).
struct OnnxValueInfoProto: SwiftProtobuf.Message {
    static let protoMessageName = "onnx.ValueInfoProto"
    var unknownFields = SwiftProtobuf.UnknownStorage()

    /// The value's name (field 1).
    var name = ""
    /// Its type (field 2).
    var type: OnnxTypeProto?

    init() {}

    mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeSingularStringField(value: &name)
            case 2: try decoder.decodeSingularMessageField(value: &type)
            default: break
            }
        }
    }

    func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if !name.isEmpty { try visitor.visitSingularStringField(value: name, fieldNumber: 1) }
        if let type { try visitor.visitSingularMessageField(value: type, fieldNumber: 2) }
        try unknownFields.traverse(visitor: &visitor)
    }

    func isEqualTo(message: any SwiftProtobuf.Message) -> Bool { OnnxProtoEquality.sameBytes(self, message) }
}
