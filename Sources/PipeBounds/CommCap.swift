import PipeGraph

extension ComputationGraph {
    /// This graph with every comm above `cap` lowered to `cap`, or the graph itself when no comm
    /// exceeds it (so that ordinary inputs keep bit-identical models).
    ///
    /// Why the bound methods may solve this graph instead (docs/formulations.md): lowering costs
    /// can only lower the optimum, so its lower bounds hold for the original; and with `cap` the
    /// cost of a known partition, a partition that pays a lowered comm still costs at least `cap`,
    /// so every partition cheaper than the known one costs the same in both graphs. A comm of
    /// 1e30 beside works near 1 would otherwise reach the solvers as a coefficient of 1e30.
    func cappingComms(at cap: Double) -> ComputationGraph {
        guard cap.isFinite, cap >= 0, nodes.contains(where: { $0.comm > cap }) else { return self }
        var capped = nodes
        for index in capped.indices where capped[index].comm > cap { capped[index].comm = cap }
        // The same nodes, edges and groups with smaller costs: it validates as this graph did.
        return (try? ComputationGraph(name: name, nodes: capped, edges: edges, stageMemory: stageMemory, units: units)) ?? self
    }
}
