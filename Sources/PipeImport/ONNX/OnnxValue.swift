/// What the ONNX importer knows about one value (tensor) of the graph after shape inference.
struct OnnxValue: Sendable {
    /// The static shape; symbolic dimensions have been replaced by the profile's sizes.
    var shape: [Int]
    /// The element type.
    var elementType: OnnxElementType
    /// Known at import time: an initializer, a `Constant`, or computed only from such values and
    /// from shapes. Nodes whose inputs are all constant are folded away.
    var isConstant: Bool = false
    /// A constant that is resident model state (weights), counted as the consumer's parameter
    /// memory; shape arithmetic folded from `Shape` is not.
    var isParameter: Bool = false
    /// The elements in row-major order, for small constants only (shape arithmetic needs them).
    var values: [Double]? = nil
    /// Index of the compute node that produces the value (nil for graph inputs and constants).
    var producer: Int? = nil

    /// The number of elements.
    var elementCount: Int { TensorArithmetic.count(shape) }

    /// A runtime value (produced by a compute node or a graph input).
    static func activation(_ shape: [Int], _ elementType: OnnxElementType) -> OnnxValue {
        OnnxValue(shape: shape, elementType: elementType)
    }

    /// A constant with known elements.
    static func constant(_ shape: [Int], _ elementType: OnnxElementType, values: [Double]?) -> OnnxValue {
        OnnxValue(shape: shape, elementType: elementType, isConstant: true, values: values)
    }

    /// The largest constant whose elements the importer keeps (enough for any shape computation).
    static let valueLimit = 1 << 16
}
