import Foundation
import SwiftProtobuf

/// `onnx.AttributeProto`: a named operator parameter. PipeBound reads the value of the kind it
/// expects (an int, ints, a float, a string, a tensor), so the `type` discriminator is kept only
/// for writing.
struct OnnxAttributeProto: SwiftProtobuf.Message {
    static let protoMessageName = "onnx.AttributeProto"
    var unknownFields = SwiftProtobuf.UnknownStorage()

    /// The attribute's name (field 1).
    var name = ""
    /// A float value (field 2).
    var f: Float = 0
    /// An integer value (field 3).
    var i: Int64 = 0
    /// A string value, UTF-8 bytes (field 4).
    var s = Data()
    /// A tensor value (field 5).
    var t: OnnxTensorProto?
    /// A list of floats (field 7).
    var floats: [Float] = []
    /// A list of integers (field 8).
    var ints: [Int64] = []
    /// A list of strings (field 9).
    var strings: [Data] = []
    /// Which of the value fields is meant, `AttributeProto.AttributeType` (field 20).
    var type: Int32 = 0

    init() {}

    mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeSingularStringField(value: &name)
            case 2: try decoder.decodeSingularFloatField(value: &f)
            case 3: try decoder.decodeSingularInt64Field(value: &i)
            case 4: try decoder.decodeSingularBytesField(value: &s)
            case 5: try decoder.decodeSingularMessageField(value: &t)
            case 7: try decoder.decodeRepeatedFloatField(value: &floats)
            case 8: try decoder.decodeRepeatedInt64Field(value: &ints)
            case 9: try decoder.decodeRepeatedBytesField(value: &strings)
            case 20: try decoder.decodeSingularInt32Field(value: &type)
            default: break
            }
        }
    }

    func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if !name.isEmpty { try visitor.visitSingularStringField(value: name, fieldNumber: 1) }
        if f != 0 { try visitor.visitSingularFloatField(value: f, fieldNumber: 2) }
        if i != 0 { try visitor.visitSingularInt64Field(value: i, fieldNumber: 3) }
        if !s.isEmpty { try visitor.visitSingularBytesField(value: s, fieldNumber: 4) }
        if let t { try visitor.visitSingularMessageField(value: t, fieldNumber: 5) }
        if !floats.isEmpty { try visitor.visitRepeatedFloatField(value: floats, fieldNumber: 7) }
        if !ints.isEmpty { try visitor.visitRepeatedInt64Field(value: ints, fieldNumber: 8) }
        if !strings.isEmpty { try visitor.visitRepeatedBytesField(value: strings, fieldNumber: 9) }
        if type != 0 { try visitor.visitSingularInt32Field(value: type, fieldNumber: 20) }
        try unknownFields.traverse(visitor: &visitor)
    }

    func isEqualTo(message: any SwiftProtobuf.Message) -> Bool { OnnxProtoEquality.sameBytes(self, message) }
}
