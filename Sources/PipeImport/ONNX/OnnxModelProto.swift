import Foundation
import SwiftProtobuf

// Hand-written SwiftProtobuf conformances for the parts of onnx.proto PipeBound reads.
// Field numbers are those of onnx.proto (ONNX IR version 3 and later); fields not listed here
// are kept as unknown fields by the decoder and ignored.

/// `onnx.ModelProto`: the top-level message of an `.onnx` file.
struct OnnxModelProto: SwiftProtobuf.Message {
    static let protoMessageName = "onnx.ModelProto"
    var unknownFields = SwiftProtobuf.UnknownStorage()

    /// IR version of the file format (field 1).
    var irVersion: Int64 = 0
    /// The tool that wrote the file (field 2).
    var producerName = ""
    /// The computation graph (field 7).
    var graph: OnnxGraphProto?
    /// Operator sets the graph uses, with their versions (field 8).
    var opsetImport: [OnnxOperatorSetIdProto] = []

    init() {}

    mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeSingularInt64Field(value: &irVersion)
            case 2: try decoder.decodeSingularStringField(value: &producerName)
            case 7: try decoder.decodeSingularMessageField(value: &graph)
            case 8: try decoder.decodeRepeatedMessageField(value: &opsetImport)
            default: break
            }
        }
    }

    func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if irVersion != 0 { try visitor.visitSingularInt64Field(value: irVersion, fieldNumber: 1) }
        if !producerName.isEmpty { try visitor.visitSingularStringField(value: producerName, fieldNumber: 2) }
        if let graph { try visitor.visitSingularMessageField(value: graph, fieldNumber: 7) }
        if !opsetImport.isEmpty { try visitor.visitRepeatedMessageField(value: opsetImport, fieldNumber: 8) }
        try unknownFields.traverse(visitor: &visitor)
    }

    func isEqualTo(message: any SwiftProtobuf.Message) -> Bool { OnnxProtoEquality.sameBytes(self, message) }
}

/// `onnx.OperatorSetIdProto`: an operator set (domain) and its version.
struct OnnxOperatorSetIdProto: SwiftProtobuf.Message {
    static let protoMessageName = "onnx.OperatorSetIdProto"
    var unknownFields = SwiftProtobuf.UnknownStorage()

    /// The operator set's domain; empty or `ai.onnx` for the default set (field 1).
    var domain = ""
    /// The operator set version (field 2).
    var version: Int64 = 0

    init() {}

    mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeSingularStringField(value: &domain)
            case 2: try decoder.decodeSingularInt64Field(value: &version)
            default: break
            }
        }
    }

    func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if !domain.isEmpty { try visitor.visitSingularStringField(value: domain, fieldNumber: 1) }
        if version != 0 { try visitor.visitSingularInt64Field(value: version, fieldNumber: 2) }
        try unknownFields.traverse(visitor: &visitor)
    }

    func isEqualTo(message: any SwiftProtobuf.Message) -> Bool { OnnxProtoEquality.sameBytes(self, message) }
}

/// Equality for the hand-written messages: same type and the same serialized bytes.
enum OnnxProtoEquality {
    static func sameBytes<M: SwiftProtobuf.Message>(_ message: M, _ other: any SwiftProtobuf.Message) -> Bool {
        guard let other = other as? M else { return false }
        let left: [UInt8]? = try? message.serializedBytes()
        let right: [UInt8]? = try? other.serializedBytes()
        return left != nil && left == right
    }
}
