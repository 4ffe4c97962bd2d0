import MIP
import PipeGraph

/// Seeded models that keep branch-and-bound busy, for limit, stop and start tests.
enum HardModels {
    /// A market split instance (Cornuéjols and Dawande): `rows` equations Σ a_ij x_j = ⌊Σ_j a_ij / 2⌋
    /// over binaries with a_ij in 0..<99, made soft by slack pairs whose total is minimised.
    /// Optimum 0 when a split exists; branch-and-bound needs many nodes either way.
    /// With `planted`, the targets are those of a random 0/1 vector, returned as a start of objective 0.
    static func marketSplit(rows: Int, columns: Int, seed: UInt64) -> Model {
        marketSplitWithPlantedSolution(rows: rows, columns: columns, seed: seed, planted: false).model
    }

    /// A market split instance whose targets come from a random 0/1 vector: the returned
    /// start (that vector, zero slacks) is optimal with objective 0.
    static func marketSplitWithPlantedSolution(rows: Int, columns: Int, seed: UInt64,
                                               planted: Bool = true) -> (model: Model, start: [Double]) {
        var generator = SeededGenerator(seed: seed)
        var model = Model(name: "market_split_\(rows)_\(columns)_\(seed)")
        let x = (0..<columns).map { model.addBinary(name: "x\($0)") }
        let plantedVector = (0..<columns).map { _ in Double(generator.next() % 2) }
        for row in 0..<rows {
            let coefficients = (0..<columns).map { _ in Double(generator.next() % 99) }
            let target = planted ? zip(coefficients, plantedVector).reduce(0) { $0 + $1.0 * $1.1 }
                                 : (coefficients.reduce(0, +) / 2).rounded(.down)
            let surplus = model.addVariable(name: "surplus\(row)", objective: 1)
            let shortage = model.addVariable(name: "shortage\(row)", objective: 1)
            var expression = LinearExpression(variables: x, coefficients: coefficients)
            expression.add(-1, surplus)
            expression.add(1, shortage)
            model.addConstraint(expression == target, name: "split\(row)")
        }
        return (model, plantedVector + Array(repeating: 0, count: 2 * rows))
    }
}

extension HardModels {
    /// A weighted set cover: `elements` elements, `sets` sets each holding an element with
    /// probability 0.15 (every element in at least two sets), costs in 1...20. Its LP bound is
    /// well below the optimum, so limited solves return bounds strictly inside the gap.
    static func setCover(elements: Int, sets: Int, seed: UInt64) -> Model {
        var generator = SeededGenerator(seed: seed)
        var members = Array(repeating: [Int](), count: elements)
        for set in 0..<sets {
            for element in 0..<elements where generator.nextUnit() < 0.15 { members[element].append(set) }
        }
        for element in 0..<elements {
            while members[element].count < 2 {
                let set = Int(generator.next() % UInt64(sets))
                if !members[element].contains(set) { members[element].append(set) }
            }
        }
        var model = Model(name: "set_cover_\(elements)_\(sets)_\(seed)")
        let chosen = (0..<sets).map { model.addBinary(name: "s\($0)", objective: Double(1 + generator.next() % 20)) }
        for element in 0..<elements {
            model.addConstraint(members[element].map { chosen[$0] }.sum() >= 1, name: "e\(element)")
        }
        return model
    }

    /// A covering MIP of 30,000 binaries and 30,000 rows of six random weights each, whose root
    /// LP takes CBC's dual simplex well over ten seconds (for the root-LP stop tests).
    static func longRootLP() -> Model {
        var generator = SeededGenerator(seed: 11)
        var model = Model(name: "long_root_lp")
        let columns = (0..<30_000).map { model.addBinary(name: "x\($0)", objective: 1 + generator.nextUnit()) }
        for row in 0..<30_000 {
            let members = (0..<6).map { _ in columns[Int(generator.next() % 30_000)] }
            let weights = (0..<6).map { _ in 0.5 + generator.nextUnit() }
            model.addConstraint(LinearExpression(variables: members, coefficients: weights) >= 1 + Double(row % 3), name: "r\(row)")
        }
        return model
    }
}
