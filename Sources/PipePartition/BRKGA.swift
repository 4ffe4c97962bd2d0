import Dispatch
import PipeGraph

/// BRKGA over topological orders (the paper's Algorithm 2, "sort and slice").
///
/// A chromosome is a vector of random keys in [0, 1)^n; the decoder sorts the graph topologically by
/// the keys and cuts that order with the slicing DP. Each generation keeps the elite, adds fresh
/// random mutants and fills the rest with biased crossovers of an elite and a non-elite parent.
/// Every random draw comes from a generator seeded by (seed, generation, index), and evaluations are
/// independent, so the result is the same for a seed whatever the thread count.
public struct BRKGA: Sendable {
    /// Chromosomes per generation.
    public var population: Int
    /// Generations, counting the initial population: about population × generations decodes.
    public var generations: Int
    /// Fraction of the population kept unchanged as elite.
    public var eliteFraction = 0.2
    /// Fraction of the population replaced by fresh random chromosomes each generation.
    public var mutantFraction = 0.15
    /// Probability that a child's key comes from its elite parent.
    public var eliteBias = 0.7
    /// Worker threads for the decoder (nil: all cores, balanced by Dispatch). The result does not depend on it.
    public var threadCount: Int? = nil

    /// A BRKGA with `population` chromosomes over `generations` generations and the standard fractions.
    public init(population: Int, generations: Int) {
        self.population = population
        self.generations = generations
    }

    /// The paper's brkga-100: population 10, 10 generations.
    public static let small = BRKGA(population: 10, generations: 10)
    /// The paper's brkga-10000: population 100, 100 generations.
    public static let large = BRKGA(population: 100, generations: 100)

    /// Chromosomes per generation actually used (at least 2, so that there is an elite and offspring).
    public var populationSize: Int { max(population, 2) }
    /// Chromosomes kept as elite each generation (at least 1, fewer than the population).
    public var eliteCount: Int { min(max(1, Int((Double(populationSize) * eliteFraction).rounded())), populationSize - 1) }

    /// One decoded chromosome.
    public struct Individual: Sendable {
        /// The random keys.
        public var keys: [Double]
        /// The decoded slicing; nil when the order admits no valid slicing.
        public var slicing: Slicing?
        /// The fitness: the slicing's bottleneck, ∞ when there is none.
        public var fitness: Double { slicing?.bottleneck ?? .infinity }
    }

    /// Evolves orders for `graph` at `stageCount` stages and returns the final population, best first.
    /// The initial population holds the canonical orders' keys, so the best is never worse than theirs.
    /// `shouldStop` is polled before each chromosome is decoded (a generation of a 20,000-node graph
    /// takes seconds): once it returns true, chromosomes not yet decoded count as having no slicing
    /// and the population so far is returned.
    public func evolve(_ graph: ComputationGraph, stageCount: Int, seed: UInt64,
                       shouldStop: (@Sendable () -> Bool)? = nil) -> [Individual] {
        let slicer = OrderSlicer(graph: graph, stageCount: stageCount)
        let size = populationSize
        let mutantCount = min(max(1, Int((Double(size) * mutantFraction).rounded())), size - eliteCount)
        let nodeCount = graph.nodeCount

        var initialKeys = TopologicalOrders.canonical(graph).map(TopologicalOrders.keys(reproducing:))
        if initialKeys.count > size { initialKeys.removeLast(initialKeys.count - size) }
        for index in initialKeys.count..<size {
            var random = Self.generator(seed: seed, generation: 0, index: index)
            initialKeys.append(Self.randomKeys(count: nodeCount, using: &random))
        }
        let units = TopologicalOrders.orderUnits(graph)
        var current = decode(initialKeys, units: units, slicer: slicer, shouldStop: shouldStop)
        Self.rank(&current)

        for generation in 1..<max(generations, 1) {
            if shouldStop?() == true { break }
            let elite = Array(current.prefix(eliteCount))
            let others = Array(current.dropFirst(eliteCount))
            var childKeys: [[Double]] = []
            childKeys.reserveCapacity(size - eliteCount)
            for index in eliteCount..<size {
                var random = Self.generator(seed: seed, generation: generation, index: index)
                if index >= size - mutantCount {
                    childKeys.append(Self.randomKeys(count: nodeCount, using: &random))
                } else {
                    let eliteParent = elite[Int(random.next() % UInt64(elite.count))].keys
                    let otherParent = others.isEmpty ? eliteParent : others[Int(random.next() % UInt64(others.count))].keys
                    var keys = otherParent
                    for gene in 0..<nodeCount where random.nextUnit() < eliteBias { keys[gene] = eliteParent[gene] }
                    childKeys.append(keys)
                }
            }
            current = elite + decode(childKeys, units: units, slicer: slicer, shouldStop: shouldStop)
            Self.rank(&current)
        }
        return current
    }

    /// Decodes chromosomes in parallel; the slot of each result is fixed by its index.
    private func decode(_ keys: [[Double]], units: UnitGraph, slicer: OrderSlicer,
                        shouldStop: (@Sendable () -> Bool)?) -> [Individual] {
        let results = UnsafeMutableBufferPointer<Individual?>.allocate(capacity: keys.count)
        results.initialize(repeating: nil)
        defer { results.deinitialize(); results.deallocate() }
        let decodeOne = { (index: Int) in
            if shouldStop?() == true {
                results[index] = Individual(keys: keys[index], slicing: nil)
                return
            }
            let order = TopologicalOrders.prioritySort(units, keys: keys[index])
            results[index] = Individual(keys: keys[index], slicing: slicer.slice(order))
        }
        switch threadCount {
        case nil:
            // One iteration per chromosome: Dispatch balances them over the cores as they free up.
            DispatchQueue.concurrentPerform(iterations: keys.count, execute: decodeOne)
        case let workers? where workers <= 1:
            for index in keys.indices { decodeOne(index) }
        case let workers?:
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                for index in stride(from: worker, to: keys.count, by: workers) { decodeOne(index) }
            }
        }
        return results.compactMap { $0 }
    }

    /// Sorts best first; ties keep the earlier slot, so ranking is deterministic.
    private static func rank(_ individuals: inout [Individual]) {
        individuals = individuals.enumerated()
            .sorted { $0.element.fitness != $1.element.fitness ? $0.element.fitness < $1.element.fitness : $0.offset < $1.offset }
            .map(\.element)
    }

    private static func generator(seed: UInt64, generation: Int, index: Int) -> SeededGenerator {
        // Mix the three numbers through SplitMix so that nearby seeds give unrelated streams.
        var mixer = SeededGenerator(seed: seed)
        var mixed = mixer.next()
        mixer = SeededGenerator(seed: mixed ^ UInt64(generation) &* 0x9E37_79B9_7F4A_7C15)
        mixed = mixer.next()
        mixer = SeededGenerator(seed: mixed ^ UInt64(index) &* 0xC2B2_AE3D_27D4_EB4F)
        return SeededGenerator(seed: mixer.next())
    }

    private static func randomKeys(count: Int, using random: inout SeededGenerator) -> [Double] {
        (0..<count).map { _ in random.nextUnit() }
    }
}
