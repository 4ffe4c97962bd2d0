import MIP

/// Small models with optima known by hand, shared by the backend tests.
enum TextbookModels {
    /// 0/1 knapsack: values 10, 13, 7, 8, 9; weights 5, 7, 4, 5, 4; capacity 15. Optimum 29 (items 1, 2, 4: weight 15).
    static func knapsack() -> (model: Model, optimum: Double) {
        var model = Model(name: "knapsack")
        let values: [Double] = [10, 13, 7, 8, 9]
        let weights: [Double] = [5, 7, 4, 5, 4]
        let items = values.indices.map { model.addBinary(name: "take_\($0)") }
        model.addConstraint(LinearExpression(variables: items, coefficients: weights) <= 15, name: "capacity")
        model.maximize(LinearExpression(variables: items, coefficients: values))
        return (model, 29)
    }

    /// 3×3 assignment with costs [[4, 2, 8], [4, 3, 7], [3, 1, 6]]: optimum 12 (worker 0→job 0, 1→2, 2→1).
    static func assignment() -> (model: Model, optimum: Double) {
        var model = Model(name: "assignment")
        let cost: [[Double]] = [[4, 2, 8], [4, 3, 7], [3, 1, 6]]
        let x = (0..<3).map { worker in (0..<3).map { job in model.addBinary(name: "x_\(worker)_\(job)") } }
        for worker in 0..<3 { model.addConstraint(x[worker].sum() == 1, name: "worker_\(worker)") }
        for job in 0..<3 { model.addConstraint((0..<3).map { x[$0][job] }.sum() == 1, name: "job_\(job)") }
        var objective = LinearExpression()
        for worker in 0..<3 { for job in 0..<3 { objective.add(cost[worker][job], x[worker][job]) } }
        model.minimize(objective)
        return (model, 12)
    }

    /// Set cover of {1..6} by sets A={1,2,3} (cost 3), B={3,4} (2), C={4,5,6} (3), D={1,4,6} (2),
    /// E={2,5} (2): optimum 6 (A + C).
    static func setCover() -> (model: Model, optimum: Double) {
        var model = Model(name: "set_cover")
        let sets: [(members: Set<Int>, cost: Double)] = [([1, 2, 3], 3), ([3, 4], 2), ([4, 5, 6], 3), ([1, 4, 6], 2), ([2, 5], 2)]
        let chosen = sets.indices.map { model.addBinary(name: "use_\($0)", objective: sets[$0].cost) }
        for element in 1...6 {
            model.addConstraint(sets.indices.filter { sets[$0].members.contains(element) }.map { chosen[$0] }.sum() >= 1,
                                name: "cover_\(element)")
        }
        return (model, 6)
    }

    /// max 3x + 2y s.t. x + y ≤ 4, x + 3y ≤ 6, x ≤ 3: optimum 11 at (3, 1).
    static func linearProgram() -> (model: Model, optimum: Double) {
        var model = Model(name: "lp")
        let x = model.addVariable(lower: 0, upper: 3, name: "x")
        let y = model.addVariable(name: "y")
        model.addConstraint(x + y <= 4)
        model.addConstraint(x + 3 * y <= 6)
        model.maximize(3 * x + 2 * y)
        return (model, 11)
    }

    /// Integers x, y ≥ 0 with 2x + 2y = 3: no solution although the relaxation has one.
    static func infeasible() -> Model {
        var model = Model(name: "infeasible")
        let x = model.addVariable(lower: 0, upper: 10, kind: .integer, name: "x")
        let y = model.addVariable(lower: 0, upper: 10, kind: .integer, name: "y")
        model.addConstraint(2 * x + 2 * y == 3)
        model.minimize(x + y)
        return model
    }

    /// min −x − y with x − y ≤ 1, x, y ≥ 0 integer: unbounded.
    static func unbounded() -> Model {
        var model = Model(name: "unbounded")
        let x = model.addVariable(kind: .integer, name: "x")
        let y = model.addVariable(kind: .integer, name: "y")
        model.addConstraint(x - y <= 1)
        model.minimize(-1 * x - y)
        return model
    }
}
