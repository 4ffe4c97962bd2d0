import Foundation
import PipeGraph

/// What `repair` prints for one candidate (`pipebound.repair`, version 1; docs/repair.md, "Output").
public struct RepairReport: Codable, Sendable {
    /// Always `pipebound.repair`.
    public var format = "pipebound.repair"
    /// 1.
    public var version = 1
    /// The graph's name.
    public var graph: String
    /// k.
    public var stages: Int
    /// The objective minimised.
    public var objective: String
    /// The price of a move (`unit` or `work`).
    public var weight: String
    /// The move budget of the bottleneck objective.
    public var maxMoves: Int?
    /// What was wrong with the candidate (empty: it was valid).
    public var violations: [String]
    /// The nodes that changed stage.
    public var moves: [RepairOutcome.Move]
    /// How many nodes changed stage.
    public var moved: Int
    /// Σ |s(v) − c(v)| over the nodes the candidate placed.
    public var distance: Int
    /// The objective's value.
    public var objectiveValue: Double
    /// Whether the objective is proven optimal.
    public var optimal: Bool
    /// The candidate's bottleneck, when it was valid.
    public var bottleneckBefore: Double?
    /// The repaired partition's bottleneck.
    public var bottleneckAfter: Double
    /// How the repair was found.
    public var method: String
    /// The repaired partition: node name → stage (what `evaluate` reads).
    public var partition: [String: Int]
    /// The repaired partition's stage graph.
    public var stageGraph: StageGraph
    /// The unit of time figures.
    public var timeUnit: String
    /// Wall-clock seconds.
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case format, version, graph, stages, objective, weight
        case maxMoves = "max_moves"
        case violations, moves, moved, distance
        case objectiveValue = "objective_value"
        case optimal
        case bottleneckBefore = "bottleneck_before"
        case bottleneckAfter = "bottleneck_after"
        case method, partition
        case stageGraph = "stage_graph"
        case timeUnit = "time_unit"
        case seconds
    }

    /// The report of `outcome` on `graph` under `options`.
    public init(outcome: RepairOutcome, graph: ComputationGraph, options: RepairOptions) {
        self.graph = graph.name
        stages = outcome.partition.stageCount
        objective = options.objective.rawValue
        weight = options.weight.rawValue
        maxMoves = options.maxMoves
        violations = outcome.violations
        moves = outcome.moves
        moved = outcome.moves.count
        distance = outcome.distance
        objectiveValue = outcome.objectiveValue
        optimal = outcome.isOptimal
        bottleneckBefore = outcome.bottleneckBefore
        bottleneckAfter = outcome.bottleneckAfter
        method = outcome.method
        var map: [String: Int] = [:]
        for (node, stage) in outcome.partition.stageOf.enumerated() { map[graph.nodes[node].name] = stage }
        partition = map
        stageGraph = StageGraph(graph: graph, partition: outcome.partition)
        timeUnit = graph.units.time
        seconds = outcome.seconds
    }

    /// JSON: pretty-printed, or one line (`--batch`).
    public func json(compact: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = compact ? [.sortedKeys, .withoutEscapingSlashes] : [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(self), as: UTF8.self) + "\n"
    }

    /// The violations, the moves (from -> to), the bottleneck before and after, the stage graph.
    public func table() -> String {
        let figure = NumberFormatting.figure
        var text = "\(graph): k = \(stages), objective \(objective)"
            + (objective == "moves" && weight != "unit" ? " weighted by \(weight)" : "")
            + (maxMoves.map { ", at most \($0) moves" } ?? "") + "\n"
        if violations.isEmpty {
            text += "the candidate is valid\n"
        } else {
            text += "the candidate has \(violations.count) problem\(violations.count == 1 ? "" : "s"):\n"
            for violation in violations.prefix(20) { text += "  \(violation)\n" }
            if violations.count > 20 { text += "  … and \(violations.count - 20) more\n" }
        }
        var table = TextTable(header: ["node", "from", "to"], rightAligned: [1, 2])
        for move in moves { table.add([move.node, move.from.map(String.init) ?? "-", "\(move.to)"]) }
        text += "moved \(moved) node\(moved == 1 ? "" : "s"), distance \(distance)"
            + " (\(method), \(optimal ? "optimal" : "best found, not proven optimal"))\n"
        if !moves.isEmpty { text += table.render() }
        text += "bottleneck   " + (bottleneckBefore.map { "\(figure($0)) -> " } ?? "invalid -> ") + "\(figure(bottleneckAfter)) \(timeUnit)\n"
        text += stageGraph.lines(timeUnit: timeUnit).joined(separator: "\n") + "\n"
        return text
    }
}
