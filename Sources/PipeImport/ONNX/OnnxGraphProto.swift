import Foundation
import SwiftProtobuf

/// `onnx.GraphProto`: nodes in topological order, weights (initializers), inputs, outputs and known shapes.
struct OnnxGraphProto: SwiftProtobuf.Message {
    static let protoMessageName = "onnx.GraphProto"
    var unknownFields = SwiftProtobuf.UnknownStorage()

    /// The operations (field 1).
    var node: [OnnxNodeProto] = []
    /// The graph's name (field 2).
    var name = ""
    /// Constant tensors, usually weights (field 5).
    var initializer: [OnnxTensorProto] = []
    /// Graph inputs; before IR version 4 they also list the initializers (field 11).
    var input: [OnnxValueInfoProto] = []
    /// Graph outputs (field 12).
    var output: [OnnxValueInfoProto] = []
    /// Types and shapes of intermediate values, when the exporter recorded them (field 13).
    var valueInfo: [OnnxValueInfoProto] = []

    init() {}

    mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeRepeatedMessageField(value: &node)
            case 2: try decoder.decodeSingularStringField(value: &name)
            case 5: try decoder.decodeRepeatedMessageField(value: &initializer)
            case 11: try decoder.decodeRepeatedMessageField(value: &input)
            case 12: try decoder.decodeRepeatedMessageField(value: &output)
            case 13: try decoder.decodeRepeatedMessageField(value: &valueInfo)
            default: break
            }
        }
    }

    func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if !node.isEmpty { try visitor.visitRepeatedMessageField(value: node, fieldNumber: 1) }
        if !name.isEmpty { try visitor.visitSingularStringField(value: name, fieldNumber: 2) }
        if !initializer.isEmpty { try visitor.visitRepeatedMessageField(value: initializer, fieldNumber: 5) }
        if !input.isEmpty { try visitor.visitRepeatedMessageField(value: input, fieldNumber: 11) }
        if !output.isEmpty { try visitor.visitRepeatedMessageField(value: output, fieldNumber: 12) }
        if !valueInfo.isEmpty { try visitor.visitRepeatedMessageField(value: valueInfo, fieldNumber: 13) }
        try unknownFields.traverse(visitor: &visitor)
    }

    func isEqualTo(message: any SwiftProtobuf.Message) -> Bool { OnnxProtoEquality.sameBytes(self, message) }
}
