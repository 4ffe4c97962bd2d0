import Foundation
import PipeGraph

extension Onnx_TensorProto {
    /// The tensor as an ``OnnxValue`` (a constant), with its elements when it is small.
    /// Throws a ``GraphError`` naming `place` when the dimensions or the data are inconsistent.
    func decodedValue(place: String) throws -> OnnxValue {
        let type = OnnxElementType(rawValue: dataType)
        var shape: [Int] = []
        var count = 1
        for dimension in dims {
            guard dimension >= 0, dimension <= TensorArithmetic.dimensionLimit else { throw GraphError("\(place): dimension \(dimension) is out of range") }
            shape.append(Int(dimension))
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(dimension))
            guard !overflow, product < 1 << 48 else { throw GraphError("\(place): the tensor has too many elements") }
            count = product
        }
        var value = OnnxValue.constant(shape, type, values: nil)
        value.isParameter = true
        guard dataLocation != .external else { return value } // External data: the shape is all we need.
        if !rawData.isEmpty {
            let expected = count * type.byteSize
            guard type != .string, rawData.count == expected else {
                throw GraphError("\(place): raw_data has \(rawData.count) bytes, expected \(expected) for \(count) elements of \(type)")
            }
            if count <= OnnxValue.valueLimit { value.values = Self.decodeRaw(rawData, type: type, count: count) }
            return value
        }
        let typed: [Double]
        if !floatData.isEmpty { typed = floatData.map(Double.init) }
        else if !int64Data.isEmpty { typed = int64Data.map(Double.init) }
        else if !int32Data.isEmpty { typed = int32Data.map(Double.init) }
        else if !doubleData.isEmpty { typed = doubleData }
        else if !uint64Data.isEmpty { typed = uint64Data.map(Double.init) }
        else { typed = [] }
        if typed.isEmpty && count > 0 {
            // A tensor without data is legal only for external or empty tensors; treat the data as unknown.
            return value
        }
        guard typed.count == count else {
            throw GraphError("\(place): the data has \(typed.count) elements, the dimensions \(shape) need \(count)")
        }
        if count <= OnnxValue.valueLimit { value.values = typed }
        return value
    }

    /// Little-endian packed elements as doubles.
    private static func decodeRaw(_ data: Data, type: OnnxElementType, count: Int) -> [Double] {
        let bytes = [UInt8](data)
        func word(_ index: Int, _ size: Int) -> UInt64 {
            var result: UInt64 = 0
            for byte in 0..<size { result |= UInt64(bytes[index * size + byte]) << (8 * UInt64(byte)) }
            return result
        }
        return (0..<count).map { index -> Double in
            switch type {
            case .float: return Double(Float(bitPattern: UInt32(truncatingIfNeeded: word(index, 4))))
            case .double: return Double(bitPattern: word(index, 8))
            case .float16: return Double(Float16Bits.decode(UInt16(truncatingIfNeeded: word(index, 2))))
            case .int64: return Double(Int64(bitPattern: word(index, 8)))
            case .uint64: return Double(word(index, 8))
            case .int32: return Double(Int32(bitPattern: UInt32(truncatingIfNeeded: word(index, 4))))
            case .uint32: return Double(UInt32(truncatingIfNeeded: word(index, 4)))
            case .int16: return Double(Int16(bitPattern: UInt16(truncatingIfNeeded: word(index, 2))))
            case .uint16: return Double(UInt16(truncatingIfNeeded: word(index, 2)))
            case .int8: return Double(Int8(bitPattern: UInt8(truncatingIfNeeded: word(index, 1))))
            default: return Double(word(index, type.byteSize))
            }
        }
    }
}

/// IEEE half-precision decoding without relying on the platform's `Float16`.
enum Float16Bits {
    /// The float value of a binary16 bit pattern.
    static func decode(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        switch exponent {
        case 0: return sign * fraction * 0x1p-24
        case 31: return fraction == 0 ? sign * .infinity : .nan
        default: return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
        }
    }
}
