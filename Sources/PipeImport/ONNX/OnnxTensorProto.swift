import Foundation
import SwiftProtobuf

/// `onnx.TensorProto`: a constant tensor: dimensions, element type and data in one of several fields.
struct OnnxTensorProto: SwiftProtobuf.Message {
    static let protoMessageName = "onnx.TensorProto"
    var unknownFields = SwiftProtobuf.UnknownStorage()

    /// Dimensions (field 1).
    var dims: [Int64] = []
    /// Element type, `TensorProto.DataType` (field 2).
    var dataType: Int32 = 0
    /// Float data (field 4).
    var floatData: [Float] = []
    /// Data of int32, int16, int8, uint16, uint8, bool and float16 tensors (field 5).
    var int32Data: [Int32] = []
    /// Int64 data (field 7).
    var int64Data: [Int64] = []
    /// The tensor's name (field 8).
    var name = ""
    /// Little-endian packed data, the usual encoding (field 9).
    var rawData = Data()
    /// Double data (field 10).
    var doubleData: [Double] = []
    /// Uint32 and uint64 data (field 11).
    var uint64Data: [UInt64] = []
    /// 1 when the data lives in an external file (field 14).
    var dataLocation: Int32 = 0

    init() {}

    mutating func decodeMessage<D: SwiftProtobuf.Decoder>(decoder: inout D) throws {
        while let field = try decoder.nextFieldNumber() {
            switch field {
            case 1: try decoder.decodeRepeatedInt64Field(value: &dims)
            case 2: try decoder.decodeSingularInt32Field(value: &dataType)
            case 4: try decoder.decodeRepeatedFloatField(value: &floatData)
            case 5: try decoder.decodeRepeatedInt32Field(value: &int32Data)
            case 7: try decoder.decodeRepeatedInt64Field(value: &int64Data)
            case 8: try decoder.decodeSingularStringField(value: &name)
            case 9: try decoder.decodeSingularBytesField(value: &rawData)
            case 10: try decoder.decodeRepeatedDoubleField(value: &doubleData)
            case 11: try decoder.decodeRepeatedUInt64Field(value: &uint64Data)
            case 14: try decoder.decodeSingularInt32Field(value: &dataLocation)
            default: break
            }
        }
    }

    func traverse<V: SwiftProtobuf.Visitor>(visitor: inout V) throws {
        if !dims.isEmpty { try visitor.visitPackedInt64Field(value: dims, fieldNumber: 1) }
        if dataType != 0 { try visitor.visitSingularInt32Field(value: dataType, fieldNumber: 2) }
        if !floatData.isEmpty { try visitor.visitPackedFloatField(value: floatData, fieldNumber: 4) }
        if !int32Data.isEmpty { try visitor.visitPackedInt32Field(value: int32Data, fieldNumber: 5) }
        if !int64Data.isEmpty { try visitor.visitPackedInt64Field(value: int64Data, fieldNumber: 7) }
        if !name.isEmpty { try visitor.visitSingularStringField(value: name, fieldNumber: 8) }
        if !rawData.isEmpty { try visitor.visitSingularBytesField(value: rawData, fieldNumber: 9) }
        if !doubleData.isEmpty { try visitor.visitPackedDoubleField(value: doubleData, fieldNumber: 10) }
        if !uint64Data.isEmpty { try visitor.visitPackedUInt64Field(value: uint64Data, fieldNumber: 11) }
        if dataLocation != 0 { try visitor.visitSingularInt32Field(value: dataLocation, fieldNumber: 14) }
        try unknownFields.traverse(visitor: &visitor)
    }

    func isEqualTo(message: any SwiftProtobuf.Message) -> Bool { OnnxProtoEquality.sameBytes(self, message) }
}
