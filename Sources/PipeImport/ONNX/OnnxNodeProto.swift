import Foundation
import SwiftProtobuf

/// `onnx.NodeProto`: one operation, its input and output value names and its attributes.
struct OnnxNodeProto: SwiftProtobuf.Message {
    static let protoMessageName = "onnx.NodeProto"
    var unknownFields = SwiftProtobuf.UnknownStorage()

    /// Input value names; an empty name marks an omitted optional input (field 1).
    var input: [String] = []
    /// Output value names (field 2).
    var output: [String] = []
    /// The node's name, often empty (field 3).
    var name = ""
    /// The operator, for example `Conv` (field 4).
    var opType = ""
    /// Attributes (field 5).
    var attribute: [OnnxAttributeProto] = []
    /// The operator set domain; empty for the default ONNX set (field 7).
    var domain = ""

    init() {}

    mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeRepeatedStringField(value: &input)
            case 2: try decoder.decodeRepeatedStringField(value: &output)
            case 3: try decoder.decodeSingularStringField(value: &name)
            case 4: try decoder.decodeSingularStringField(value: &opType)
            case 5: try decoder.decodeRepeatedMessageField(value: &attribute)
            case 7: try decoder.decodeSingularStringField(value: &domain)
            default: break
            }
        }
    }

    func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if !input.isEmpty { try visitor.visitRepeatedStringField(value: input, fieldNumber: 1) }
        if !output.isEmpty { try visitor.visitRepeatedStringField(value: output, fieldNumber: 2) }
        if !name.isEmpty { try visitor.visitSingularStringField(value: name, fieldNumber: 3) }
        if !opType.isEmpty { try visitor.visitSingularStringField(value: opType, fieldNumber: 4) }
        if !attribute.isEmpty { try visitor.visitRepeatedMessageField(value: attribute, fieldNumber: 5) }
        if !domain.isEmpty { try visitor.visitSingularStringField(value: domain, fieldNumber: 7) }
        try unknownFields.traverse(visitor: &visitor)
    }

    func isEqualTo(message: any SwiftProtobuf.Message) -> Bool { OnnxProtoEquality.sameBytes(self, message) }
}
