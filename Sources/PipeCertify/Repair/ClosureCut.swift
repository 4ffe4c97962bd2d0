/// A minimum-weight closure problem solved by a maximum flow (Dinic's algorithm).
///
/// Binary variables z₀…z_{m−1}, a linear cost Σ aᵢ zᵢ, and implications "zᵢ = 1 ⇒ zⱼ = 1". Its
/// constraint matrix is totally unimodular, so the minimum cut is an exact integral optimum;
/// `repair` states its moves and distance objectives this way when there is no memory cap
/// (docs/repair.md, "Fast exact paths"). The source side of a cut is the set with z = 1.
struct ClosureCut {
    /// Arcs in a flat adjacency: head, residual capacity, index of the reverse arc.
    private var head: [Int32] = []
    private var residual: [Double] = []
    private var firstArc: [Int32]
    private var nextArc: [Int32] = []
    private let variableCount: Int
    private var constant = 0.0
    /// A capacity larger than any finite cut, for the implications.
    private var finiteTotal = 0.0
    private var implications: [(Int32, Int32)] = []

    private var source: Int { variableCount }
    private var sink: Int { variableCount + 1 }

    /// A problem on `variableCount` variables with no cost and no implication yet.
    init(variableCount: Int) {
        self.variableCount = variableCount
        firstArc = [Int32](repeating: -1, count: variableCount + 2)
    }

    /// Adds `cost` to the objective when z_`variable` = 1.
    mutating func addCost(_ cost: Double, whenSet variable: Int) {
        if cost > 0 {
            addArc(from: variable, to: sink, capacity: cost)
        } else if cost < 0 {
            // Pay `cost` up front and −cost back when the variable stays 0.
            constant += cost
            addArc(from: source, to: variable, capacity: -cost)
        }
    }

    /// Requires z_`premise` = 1 ⇒ z_`conclusion` = 1.
    mutating func addImplication(_ premise: Int, implies conclusion: Int) {
        implications.append((Int32(premise), Int32(conclusion)))
    }

    /// The optimum: the least cost, and the least and the greatest optimal sets (z = 1 on them).
    /// Every optimal set lies between the two (optimal closures form a lattice).
    mutating func solve() -> (cost: Double, least: [Bool], greatest: [Bool]) {
        let infinite = finiteTotal * 2 + 1
        for (premise, conclusion) in implications { addArc(from: Int(premise), to: Int(conclusion), capacity: infinite) }
        implications.removeAll()
        let flow = maximumFlow()
        // Least optimal set: what the source still reaches. Greatest: all but what still reaches the sink.
        let fromSource = reachable(from: source, forward: true)
        let toSink = reachable(from: sink, forward: false)
        let least = (0..<variableCount).map { fromSource[$0] }
        let greatest = (0..<variableCount).map { !toSink[$0] }
        return (constant + flow, least, greatest)
    }

    /// The residual arcs among `variables` (after ``solve()``): successors and predecessors as
    /// indices into `variables`. A set between the least and the greatest optimum is optimal
    /// exactly when no arc with residual capacity leaves it (``TieBreakSearch`` walks them).
    func residualArcs(among variables: [Int]) -> (successors: [[Int32]], predecessors: [[Int32]]) {
        var position = [Int32](repeating: -1, count: variableCount)
        for (index, variable) in variables.enumerated() { position[variable] = Int32(index) }
        var successors = [[Int32]](repeating: [], count: variables.count)
        var predecessors = [[Int32]](repeating: [], count: variables.count)
        for (index, variable) in variables.enumerated() {
            var arc = firstArc[variable]
            while arc >= 0 {
                let target = Int(head[Int(arc)])
                if target < variableCount, position[target] >= 0, residual[Int(arc)] > epsilon {
                    successors[index].append(position[target])
                    predecessors[Int(position[target])].append(Int32(index))
                }
                arc = nextArc[Int(arc)]
            }
        }
        return (successors, predecessors)
    }

    private mutating func addArc(from tail: Int, to target: Int, capacity: Double) {
        if capacity.isFinite, tail == source || target == sink { finiteTotal += capacity }
        for (from, to, amount) in [(tail, target, capacity), (target, tail, 0.0)] {
            head.append(Int32(to))
            residual.append(amount)
            nextArc.append(firstArc[from])
            firstArc[from] = Int32(head.count - 1)
        }
    }

    /// Flow below this is treated as none (costs are sums of node weights, far above it).
    private var epsilon: Double { 1e-12 * max(1, finiteTotal) }

    private mutating func maximumFlow() -> Double {
        let nodeCount = variableCount + 2
        var total = 0.0
        var level = [Int32](repeating: -1, count: nodeCount)
        var cursor = [Int32](repeating: -1, count: nodeCount)
        var queue = [Int](repeating: 0, count: nodeCount)
        while true {
            // Breadth-first levels over arcs with residual capacity.
            for index in level.indices { level[index] = -1 }
            level[source] = 0
            var front = 0, back = 1
            queue[0] = source
            while front < back {
                let node = queue[front]; front += 1
                var arc = firstArc[node]
                while arc >= 0 {
                    let target = Int(head[Int(arc)])
                    if residual[Int(arc)] > epsilon, level[target] < 0 {
                        level[target] = level[node] + 1
                        queue[back] = target; back += 1
                    }
                    arc = nextArc[Int(arc)]
                }
            }
            guard level[sink] >= 0 else { return total }
            cursor = firstArc
            while true {
                let pushed = augment(from: source, limit: .infinity, level: level, cursor: &cursor)
                if pushed <= epsilon { break }
                total += pushed
            }
        }
    }

    /// One blocking-flow path search; iterative depth would need a stack, but paths are short
    /// (at most one arc per stage and node layer), so recursion depth stays small.
    private mutating func augment(from node: Int, limit: Double, level: [Int32], cursor: inout [Int32]) -> Double {
        if node == sink { return limit }
        while cursor[node] >= 0 {
            let arc = Int(cursor[node])
            let target = Int(head[arc])
            if residual[arc] > epsilon, level[target] == level[node] + 1 {
                let pushed = augment(from: target, limit: min(limit, residual[arc]), level: level, cursor: &cursor)
                if pushed > epsilon {
                    residual[arc] -= pushed
                    residual[arc ^ 1] += pushed
                    return pushed
                }
            }
            cursor[node] = nextArc[arc]
        }
        return 0
    }

    /// Nodes reachable from `start` along arcs with residual capacity (forward), or that reach it (backward).
    private func reachable(from start: Int, forward: Bool) -> [Bool] {
        var seen = [Bool](repeating: false, count: variableCount + 2)
        seen[start] = true
        var stack = [start]
        while let node = stack.popLast() {
            var arc = firstArc[node]
            while arc >= 0 {
                let target = Int(head[Int(arc)])
                // Forward: the arc node → target has room. Backward: target → node has room (its reverse arc).
                let room = forward ? residual[Int(arc)] : residual[Int(arc) ^ 1]
                if room > epsilon, !seen[target] {
                    seen[target] = true
                    stack.append(target)
                }
                arc = nextArc[Int(arc)]
            }
        }
        return seen
    }
}
