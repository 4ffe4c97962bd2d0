import Foundation
import PipeGraph

/// Turns the FLOPs and bytes an importer measured into work and comm times (microseconds).
///
/// work(v) = overhead + max(FLOPs / (peak × efficiency), bytes accessed / (memory bandwidth × efficiency))
/// comm(v) = latency + output bytes / link bandwidth
///
/// The defaults describe a V100-class GPU running fp32 (15.7 TFLOP/s peak, 900 GB/s HBM2)
/// connected over PCIe 3.0 x16 (15.75 GB/s raw, about 12 GB/s achieved by large copies); see
/// docs/importers.md for where each number comes from. A JSON file may override any of them.
public struct CostProfile: Sendable, Hashable, Codable {
    /// Peak floating-point operations per second of one device.
    public var deviceFlops: Double = 15.7e12
    /// The fraction of peak that real kernels reach.
    public var computeEfficiency: Double = 0.5
    /// Device memory bandwidth in bytes per second.
    public var memoryBandwidth: Double = 900e9
    /// The fraction of memory bandwidth that real kernels reach.
    public var memoryEfficiency: Double = 0.7
    /// Bandwidth of the link between two pipeline devices, bytes per second.
    public var linkBandwidth: Double = 12e9
    /// Fixed cost of one transfer between devices, microseconds.
    public var linkLatencyMicroseconds: Double = 10
    /// Fixed cost of launching one operator, microseconds (view operators cost nothing).
    public var operatorOverheadMicroseconds: Double = 5
    /// Bytes per element of floating-point tensors (4 for fp32; 2 models an fp16 deployment).
    public var bytesPerElement: Double = 4
    /// The size taken for a symbolic or missing dimension of a graph input (the batch size).
    public var symbolicDimension: Int = 1
    /// Sizes for named symbolic dimensions, for example `{"batch": 8, "sequence": 128}`.
    public var dimensionValues: [String: Int] = [:]

    /// The defaults.
    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case deviceFlops = "device_flops"
        case computeEfficiency = "compute_efficiency"
        case memoryBandwidth = "memory_bandwidth"
        case memoryEfficiency = "memory_efficiency"
        case linkBandwidth = "link_bandwidth"
        case linkLatencyMicroseconds = "link_latency_us"
        case operatorOverheadMicroseconds = "op_overhead_us"
        case bytesPerElement = "bytes_per_element"
        case symbolicDimension = "symbolic_dimension"
        case dimensionValues = "dimension_values"
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let defaults = CostProfile()
        deviceFlops = try container.decodeIfPresent(Double.self, forKey: .deviceFlops) ?? defaults.deviceFlops
        computeEfficiency = try container.decodeIfPresent(Double.self, forKey: .computeEfficiency) ?? defaults.computeEfficiency
        memoryBandwidth = try container.decodeIfPresent(Double.self, forKey: .memoryBandwidth) ?? defaults.memoryBandwidth
        memoryEfficiency = try container.decodeIfPresent(Double.self, forKey: .memoryEfficiency) ?? defaults.memoryEfficiency
        linkBandwidth = try container.decodeIfPresent(Double.self, forKey: .linkBandwidth) ?? defaults.linkBandwidth
        linkLatencyMicroseconds = try container.decodeIfPresent(Double.self, forKey: .linkLatencyMicroseconds) ?? defaults.linkLatencyMicroseconds
        operatorOverheadMicroseconds = try container.decodeIfPresent(Double.self, forKey: .operatorOverheadMicroseconds) ?? defaults.operatorOverheadMicroseconds
        bytesPerElement = try container.decodeIfPresent(Double.self, forKey: .bytesPerElement) ?? defaults.bytesPerElement
        symbolicDimension = try container.decodeIfPresent(Int.self, forKey: .symbolicDimension) ?? defaults.symbolicDimension
        dimensionValues = try container.decodeIfPresent([String: Int].self, forKey: .dimensionValues) ?? defaults.dimensionValues
    }

    /// Reads a profile from JSON; fields left out keep their defaults, unknown fields and
    /// impossible values (zero bandwidth, negative latency, …) are errors.
    public static func decode(_ data: Data) throws -> CostProfile {
        let profile: CostProfile
        do {
            if let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] {
                let known = Set(CodingKeys.allCases.map(\.rawValue))
                if let unknown = object.keys.sorted().first(where: { !known.contains($0) }) {
                    throw GraphError("unknown profile field '\(unknown)'; known fields: \(known.sorted().joined(separator: ", "))")
                }
            } else {
                throw GraphError("a cost profile must be a JSON object")
            }
            profile = try JSONDecoder().decode(CostProfile.self, from: data)
        } catch let error as DecodingError {
            throw GraphError(GraphFile.describe(error, in: data))
        } catch let error as GraphError {
            throw error
        } catch {
            throw GraphError("not valid JSON: \(error.localizedDescription)")
        }
        try profile.validate()
        return profile
    }

    /// Checks that every rate is positive and finite and every fixed cost non-negative.
    public func validate() throws {
        let rates = [("device_flops", deviceFlops), ("compute_efficiency", computeEfficiency), ("memory_bandwidth", memoryBandwidth),
                     ("memory_efficiency", memoryEfficiency), ("link_bandwidth", linkBandwidth), ("bytes_per_element", bytesPerElement)]
        for (name, value) in rates where !(value.isFinite && value > 0) {
            throw GraphError("profile field '\(name)' must be a positive finite number, not \(value)")
        }
        for (name, value) in [("link_latency_us", linkLatencyMicroseconds), ("op_overhead_us", operatorOverheadMicroseconds)] where !(value.isFinite && value >= 0) {
            throw GraphError("profile field '\(name)' must be a non-negative finite number, not \(value)")
        }
        for (name, value) in [("symbolic_dimension", symbolicDimension)] + dimensionValues.sorted(by: { $0.key < $1.key }).map({ ("dimension_values.\($0.key)", $0.value) })
        where !(1...(1 << 24)).contains(value) {
            throw GraphError("profile field '\(name)' must be between 1 and 2^24, not \(value)")
        }
    }

    /// Execution time in microseconds of an operator doing `flops` and touching `bytes`.
    public func workMicroseconds(flops: Double, bytesAccessed bytes: Double, isView: Bool = false) -> Double {
        guard !isView else { return 0 }
        let compute = flops / (deviceFlops * computeEfficiency)
        let memory = bytes / (memoryBandwidth * memoryEfficiency)
        return operatorOverheadMicroseconds + max(compute, memory) * 1e6
    }

    /// Time in microseconds to send `bytes` from one device to the next.
    public func commMicroseconds(bytes: Double) -> Double {
        linkLatencyMicroseconds + bytes / linkBandwidth * 1e6
    }
}
