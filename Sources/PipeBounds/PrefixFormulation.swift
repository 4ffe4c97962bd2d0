import MIP
import PipeGraph

/// The prefix MIP (L1, docs/formulations.md), restricted to stage windows; also the model of
/// every value-search probe (L4).
///
/// Stages are 0-based. y(v, b) = [s(v) ≤ b] for b in 0..<k−1 is a binary column only inside v's
/// window (b in earliest(v)..<latest(v)); below the window it is the constant 0, above it 1.
/// x(v, b) = y(v, b) − y(v, b−1) says v is in stage b. For every edge (u, v) and stage b,
/// in(u, b) ≥ x(v, b) − x(u, b) and out(u, b) ≥ x(u, b) − x(v, b), columns created only where the
/// windows let them be 1. Stage b costs Σ w x + Σ c (in + out) ≤ T. Costs are divided by
/// ``scale`` so that T is near 1 and the solver's absolute tolerances act as relative ones.
public struct PrefixFormulation: Sendable {
    /// The model; T is ``bottleneck``, and the objective minimises it.
    public var model: Model
    /// k.
    public let stageCount: Int
    /// Every cost in the model is the graph's cost divided by this.
    public let scale: Double
    /// The windows the columns were created for (the widest this model can represent).
    public let windows: StageWindows
    /// T, in scaled units.
    public let bottleneck: Variable
    /// The cost row of each stage.
    public private(set) var stageRows: [ConstraintIndex] = []
    /// Whether the nodes the windows pin to one stage already break the memory cap there.
    public private(set) var isTriviallyInfeasible = false
    /// y(v, b) for b in windows.earliest[v]..<windows.latest[v], in order.
    private let prefixColumns: [[Variable]]
    /// Whether `shouldStop` ended the build before every comm term was added: the model is then a
    /// relaxation, and the callers do not solve it (their budget is spent).
    public private(set) var isIncomplete = false

    /// Builds the model for `graph` with `stageCount` stages and columns inside `windows`.
    /// `lowerBound` and `upperBound` (unscaled) bound T; pass a proven lower bound only.
    /// `shouldStop` (a time limit) is polled while the comm terms are added, the bulk of the work on
    /// large graphs; see ``isIncomplete``. `costedStages` limits the cost and memory rows (and their comm
    /// columns) to those stages: a model of a few stages with every other node pinned, whose objective
    /// is their largest cost (``StageWindowNeighbourhood``); nil costs every stage.
    public init(graph: ComputationGraph, stageCount: Int, windows: StageWindows, scale: Double,
                lowerBound: Double = 0, upperBound: Double? = nil, costedStages: ClosedRange<Int>? = nil,
                shouldStop: () -> Bool = { false }) {
        let costedStages = costedStages ?? 0...(stageCount - 1)
        self.stageCount = stageCount
        self.scale = scale
        self.windows = windows
        var model = Model(name: "prefix")
        let nodeCount = graph.nodeCount
        var prefixColumns = [[Variable]](repeating: [], count: nodeCount)
        for node in 0..<nodeCount {
            for stage in windows.earliest[node]..<windows.latest[node] {
                prefixColumns[node].append(model.addBinary(name: "y_\(node)_\(stage)"))
            }
        }
        let bottleneck = model.addVariable(lower: lowerBound / scale, upper: upperBound.map { $0 / scale } ?? .infinity,
                                           kind: .continuous, name: "T", objective: 1)
        self.bottleneck = bottleneck
        self.prefixColumns = prefixColumns
        self.model = model

        // Prefixes are monotone in the stage: s(v) ≤ b implies s(v) ≤ b + 1.
        for columns in prefixColumns where columns.count > 1 {
            for (current, next) in zip(columns, columns.dropFirst()) {
                self.model.addConstraint(columns: [current.index, next.index], coefficients: [1, -1], upper: 0)
            }
        }
        // Precedence, where both sides are columns; elsewhere the windows already agree with the edges.
        for (producer, consumer) in graph.precedenceEdges {
            let low = Swift.max(windows.earliest[producer], windows.earliest[consumer])
            let high = Swift.min(windows.latest[producer], windows.latest[consumer])
            guard low < high else { continue }
            for stage in low..<high {
                guard case let .column(consumerColumn) = prefix(consumer, stage),
                      case let .column(producerColumn) = prefix(producer, stage) else { continue }
                self.model.addConstraint(columns: [consumerColumn.index, producerColumn.index], coefficients: [1, -1], upper: 0)
            }
        }
        // Colocation groups: equal prefixes (their windows are equal, built on the contracted graph).
        for members in graph.groupMembers {
            guard let first = members.first else { continue }
            for member in members.dropFirst() {
                for (column, firstColumn) in zip(prefixColumns[member], prefixColumns[first]) {
                    self.model.addConstraint(columns: [column.index, firstColumn.index], coefficients: [1, -1], lower: 0, upper: 0)
                }
            }
        }

        // Stage costs.
        var stageCosts = (0..<stageCount).map { _ in LinearExpression() }
        var stageMemory = (0..<stageCount).map { _ in LinearExpression() }
        for node in 0..<nodeCount {
            let work = graph.nodes[node].work / scale
            // Memory rows are divided by the cap: byte counts would dwarf the solver's tolerances.
            let memory = graph.stageMemory.map { graph.nodes[node].memory / $0 } ?? 0
            for stage in windows.earliest[node]...windows.latest[node] where costedStages.contains(stage) {
                let membership = self.membership(node, stage)
                if work != 0 { stageCosts[stage].add(membership, times: work) }
                if memory != 0 { stageMemory[stage].add(membership, times: memory) }
            }
        }
        for producer in 0..<nodeCount where graph.nodes[producer].comm > 0 && !graph.successors[producer].isEmpty {
            if producer % 256 == 0, shouldStop() {
                isIncomplete = true
                break
            }
            let comm = graph.nodes[producer].comm / scale
            let consumers = graph.successors[producer]
            for stage in costedStages {
                // In: producer strictly before the stage, a consumer inside it.
                let feedsStage = consumers.filter { windows.allows($0, in: stage) }
                // In a training graph a producer may also sit after the stage: any producer not pinned to it.
                let producerMayBeOutside = graph.isTraining
                    ? windows.earliest[producer] != stage || windows.latest[producer] != stage : windows.earliest[producer] < stage
                if producerMayBeOutside, !feedsStage.isEmpty {
                    let input = self.model.addVariable(lower: 0, upper: 1, name: "in_\(producer)_\(stage)")
                    for consumer in feedsStage {
                        var row = LinearExpression(input)
                        row.add(self.membership(consumer, stage), times: -1)
                        row.add(self.membership(producer, stage))
                        self.model.addConstraint(row >= 0)
                    }
                    stageCosts[stage].add(comm, input)
                }
                // Out: producer inside the stage, a consumer strictly after it.
                let leavesStage = consumers.filter {
                    graph.isTraining ? windows.earliest[$0] != stage || windows.latest[$0] != stage : windows.latest[$0] > stage
                }
                if windows.allows(producer, in: stage), !leavesStage.isEmpty {
                    let output = self.model.addVariable(lower: 0, upper: 1, name: "out_\(producer)_\(stage)")
                    for consumer in leavesStage {
                        var row = LinearExpression(output)
                        row.add(self.membership(producer, stage), times: -1)
                        row.add(self.membership(consumer, stage))
                        self.model.addConstraint(row >= 0)
                    }
                    stageCosts[stage].add(comm, output)
                }
            }
        }
        var rows: [ConstraintIndex] = []
        for stage in costedStages {
            var row = stageCosts[stage]
            row.add(-1, bottleneck)
            rows.append(self.model.addConstraint(row <= 0, name: "cost_\(stage)"))
            if graph.stageMemory != nil {
                if stageMemory[stage].termCount > 0 {
                    self.model.addConstraint(stageMemory[stage] <= 1, name: "memory_\(stage)")
                } else if stageMemory[stage].constant > 1 + SafeRounding.arithmeticMargin {
                    isTriviallyInfeasible = true
                }
            }
        }
        self.stageRows = rows
    }

    /// A prefix indicator: a column or a constant.
    enum Prefix {
        case constant(Double)
        case column(Variable)
    }

    /// y(v, b) = [s(v) ≤ b].
    func prefix(_ node: Int, _ stage: Int) -> Prefix {
        if stage < windows.earliest[node] { return .constant(0) }
        if stage >= windows.latest[node] { return .constant(1) }
        return .column(prefixColumns[node][stage - windows.earliest[node]])
    }

    /// x(v, b) = y(v, b) − y(v, b − 1) as an expression.
    func membership(_ node: Int, _ stage: Int) -> LinearExpression {
        var expression = LinearExpression()
        for (position, factor) in [(stage, 1.0), (stage - 1, -1.0)] {
            switch position < 0 ? Prefix.constant(0) : prefix(node, position) {
            case let .constant(value): expression.constant += factor * value
            case let .column(column): expression.add(factor, column)
            }
        }
        return expression
    }

    /// Fixes every column outside `narrower` (which must lie inside ``windows``) and frees the rest.
    public mutating func restrict(to narrower: StageWindows) {
        for node in prefixColumns.indices {
            for (offset, column) in prefixColumns[node].enumerated() {
                let stage = windows.earliest[node] + offset
                if stage < narrower.earliest[node] {
                    model.fix(column, to: 0)
                } else if stage >= narrower.latest[node] {
                    model.fix(column, to: 1)
                } else {
                    model.setBounds(column, lower: 0, upper: 1)
                }
            }
        }
    }

    /// Sets T's bounds (unscaled).
    public mutating func boundBottleneck(lower: Double, upper: Double) {
        model.setBounds(bottleneck, lower: lower / scale, upper: upper / scale)
    }

    /// Column values that encode `partition` (a MIP start), or nil when it leaves the windows.
    public func startValues(for partition: Partition, graph: ComputationGraph) -> [Double]? {
        let stageOf = partition.stageOf
        guard stageOf.count == prefixColumns.count,
              stageOf.indices.allSatisfy({ windows.allows($0, in: stageOf[$0]) }) else { return nil }
        var values = [Double](repeating: 0, count: model.variableCount)
        for node in prefixColumns.indices {
            for (offset, column) in prefixColumns[node].enumerated() {
                values[column.index] = stageOf[node] <= windows.earliest[node] + offset ? 1 : 0
            }
        }
        // in/out columns: the smallest values their rows allow.
        for row in 0..<model.constraintCount where model.rowUpper[row] == .infinity {
            let (columns, coefficients) = model.row(ConstraintIndex(index: row))
            guard let auxiliary = zip(columns, coefficients).first(where: { isAuxiliary(Int($0.0)) && $0.1 == 1 }) else { continue }
            var rest = 0.0
            for (column, coefficient) in zip(columns, coefficients) where Int(column) != Int(auxiliary.0) {
                rest += coefficient * values[Int(column)]
            }
            let needed = model.rowLower[row] - rest
            values[Int(auxiliary.0)] = Swift.max(values[Int(auxiliary.0)], Swift.min(1, Swift.max(0, needed.rounded())))
        }
        values[bottleneck.index] = Swift.max(model.columnLower[bottleneck.index], graph.bottleneck(of: partition) / scale)
        return values
    }

    /// Whether column `index` is an in or out column.
    private func isAuxiliary(_ index: Int) -> Bool {
        index > bottleneck.index
    }

    /// The partition a solution encodes: s(v) is the first stage b with y(v, b) = 1.
    public func decode(_ values: [Double]) -> Partition {
        var stageOf = [Int](repeating: stageCount - 1, count: prefixColumns.count)
        for node in prefixColumns.indices {
            stageOf[node] = windows.latest[node]
            for (offset, column) in prefixColumns[node].enumerated() where values[column.index] > 0.5 {
                stageOf[node] = windows.earliest[node] + offset
                break
            }
        }
        return Partition(stageCount: stageCount, stageOf: stageOf)
    }
}
