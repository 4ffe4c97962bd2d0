import Foundation

/// The output formats of `certify`.
public enum CertificateFormat: String, CaseIterable, Sendable {
    /// Aligned tables for people.
    case table
    /// The certificate JSON (an array of certificates for several stage counts).
    case json
    /// One row per (stage count, method); see docs/certificate.md.
    case csv
}

/// Turns certificates into text in each ``CertificateFormat``.
public enum CertificateRendering {
    /// The certificates in `format`. JSON is one object for one certificate and an array for several.
    public static func render(_ certificates: [Certificate], as format: CertificateFormat) throws -> String {
        switch format {
        case .json:
            return try json(certificates)
        case .table:
            return certificates.map(table).joined(separator: "\n")
        case .csv:
            return csv(certificates)
        }
    }

    /// Pretty-printed JSON with sorted keys.
    public static func json(_ certificates: [Certificate]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let data = certificates.count == 1 ? try encoder.encode(certificates[0]) : try encoder.encode(certificates)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The certificate as tables: a summary, the stages, the methods.
    public static func table(_ certificate: Certificate) -> String {
        let figure = NumberFormatting.figure
        let units = certificate.units
        var text = "\(certificate.graph.name): \(certificate.graph.nodes) nodes, \(certificate.graph.edges) edges, "
            + "k = \(certificate.stages), solver \(certificate.solver), \(NumberFormatting.seconds(certificate.seconds)) s\n"
        text += "upper bound  \(figure(certificate.upperBound.value)) \(units.time)  (\(certificate.upperBound.method))\n"
        text += "lower bound  \(figure(certificate.lowerBound.value)) \(units.time)  (\(certificate.lowerBound.method))\n"
        text += "LB/UB        \(NumberFormatting.ratio(certificate.ratio))\n"
        if certificate.interrupted == true {
            text += "status       interrupted: the run was stopped before every step ran; the bounds are sound but may be weaker\n"
        }
        text += "throughput   \(figure(certificate.throughput)) per \(units.time);  latency \(figure(certificate.latency)) \(units.time) (k x bottleneck)\n"
        if let stageGraph = certificate.stageGraph {
            text += stageGraph.lines(timeUnit: units.time).joined(separator: "\n") + "\n"
        }
        if let given = certificate.givenPartition {
            let how = given.repaired ? "repaired with \(given.moves) moves, " : ""
            text += "given        \(figure(given.value)) \(units.time)  (\(how)\(given.source)); LB/given \(NumberFormatting.ratio(given.ratio))\n"
            if let stageGraph = given.stageGraph {
                text += stageGraph.lines(timeUnit: units.time).map { "given " + $0 }.joined(separator: "\n") + "\n"
            }
        }
        text += "\n"

        text += stageTable(certificate) + "\n"

        var methods = TextTable(header: ["method", "kind", "value", "status", "seconds", "detail"], rightAligned: [2, 4])
        for record in certificate.bounds {
            // Long details wrap onto continuation rows rather than being cut.
            let detail = TextTable.wrapped(record.detail ?? "", width: detailWidth)
            methods.add([record.method, record.kind.rawValue, record.counts ? figure(record.value) : "-", record.status.rawValue,
                         NumberFormatting.seconds(record.seconds), detail.first ?? ""])
            for line in detail.dropFirst() { methods.add(["", "", "", "", "", line]) }
        }
        text += methods.render()
        return text
    }

    /// The width at which the method table's detail column wraps.
    static let detailWidth = 70

    /// The stage table: index, node count, cost (the bottleneck starred), work, comm, memory and,
    /// with `members`, the first node names of each stage; then a line naming the units.
    public static func stageTable(_ certificate: Certificate, members: Bool = false) -> String {
        let figure = NumberFormatting.figure
        var header = ["stage", "nodes", "cost", "work", "comm in", "comm out", "memory"]
        if members { header.append("members") }
        var stages = TextTable(header: header, rightAligned: Set(0...6))
        for stage in certificate.upperBound.stages {
            let marker = stage.cost == certificate.upperBound.value && stage.cost > 0 ? " *" : ""
            var row = ["\(stage.index)", "\(stage.nodes.count)", figure(stage.cost) + marker, figure(stage.work),
                       figure(stage.commIn), figure(stage.commOut), figure(stage.memory)]
            if members { row.append(TextTable.shortened(stage.nodes.joined(separator: " "), to: 60)) }
            stages.add(row)
        }
        return stages.render()
            + "(* the bottleneck stage; times in \(certificate.units.time), memory in \(certificate.units.memory))\n"
    }

    /// The CSV header of ``csv(_:)``.
    public static let csvHeader = "graph,nodes,edges,stages,solver,kind,method,value,status,seconds,upper_bound,lower_bound,ratio"

    /// One row per (stage count, method), plus a `certificate` row per stage count carrying the
    /// final bounds (`kind` = certificate, `method` = the upper bound's method).
    public static func csv(_ certificates: [Certificate]) -> String {
        var lines = [csvHeader]
        for certificate in certificates {
            let prefix = [csvField(certificate.graph.name), "\(certificate.graph.nodes)", "\(certificate.graph.edges)",
                          "\(certificate.stages)", csvField(certificate.solver)]
            let suffix = ["\(certificate.upperBound.value)", "\(certificate.lowerBound.value)", "\(certificate.ratio)"]
            for record in certificate.bounds {
                lines.append((prefix + [record.kind.rawValue, csvField(record.method), "\(record.value)", record.status.rawValue,
                                        String(format: "%.3f", record.seconds)] + suffix).joined(separator: ","))
            }
            lines.append((prefix + ["certificate", csvField(certificate.upperBound.method), "\(certificate.upperBound.value)",
                                    "final", String(format: "%.3f", certificate.seconds)] + suffix).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
