import PipeGraph

/// Replaces every call of a model-local function (`ModelProto.functions`) by the function's body,
/// so that the importer costs the nodes a function runs like any other (docs/importers.md, "Functions
/// and control flow").
///
/// A node calls a function when its domain, operator and overload match the function's domain, name
/// and overload (the default domain written `""` or `ai.onnx`). The body's values are renamed into
/// the caller's scope: formal inputs and outputs become the caller's actual ones, every other value
/// gets the prefix `CALLER/`, and attribute references (`ref_attr_name`) take the caller's attribute
/// or the function's default. Calls inside the body, and inside `If`/`Loop`/`Scan` subgraphs, are
/// expanded too; a function that calls itself is an error.
struct OnnxFunctionInliner {
    /// The model's functions by (domain, name, overload).
    private let functions: [Key: Onnx_FunctionProto]
    /// Nested calls allowed before the inliner decides a function calls itself.
    static let depthLimit = 32

    private struct Key: Hashable {
        let domain: String, name: String, overload: String
    }

    init(functions: [Onnx_FunctionProto]) {
        var table: [Key: Onnx_FunctionProto] = [:]
        for function in functions {
            table[Key(domain: Self.normalized(function.domain), name: function.name, overload: function.overload)] = function
        }
        self.functions = table
    }

    /// Whether the model defines any function (nothing to do otherwise).
    var isEmpty: Bool { functions.isEmpty }

    /// `graph` with every function call replaced by the function's nodes.
    func inline(_ graph: Onnx_GraphProto) throws -> Onnx_GraphProto {
        var result = graph
        result.node = try expand(graph.node, depth: 0)
        return result
    }

    private static func normalized(_ domain: String) -> String { domain == "ai.onnx" ? "" : domain }

    private func expand(_ nodes: [Onnx_NodeProto], depth: Int) throws -> [Onnx_NodeProto] {
        var expanded: [Onnx_NodeProto] = []
        for var node in nodes {
            node.attribute = try node.attribute.map { try expandSubgraphs(of: $0, depth: depth) }
            let key = Key(domain: Self.normalized(node.domain), name: node.opType, overload: node.overload)
            guard let function = functions[key] else {
                expanded.append(node)
                continue
            }
            guard depth < Self.depthLimit else {
                throw GraphError("\(node.label): function '\(function.name)' calls itself (more than \(Self.depthLimit) nested calls)")
            }
            expanded += try expand(body(of: function, calledBy: node), depth: depth + 1)
        }
        return expanded
    }

    /// The attribute with calls inside its subgraphs (`If` branches, `Loop`/`Scan` bodies) expanded.
    private func expandSubgraphs(of attribute: Onnx_AttributeProto, depth: Int) throws -> Onnx_AttributeProto {
        guard attribute.hasG || !attribute.graphs.isEmpty else { return attribute }
        var result = attribute
        if attribute.hasG { result.g.node = try expand(attribute.g.node, depth: depth) }
        for index in result.graphs.indices { result.graphs[index].node = try expand(result.graphs[index].node, depth: depth) }
        return result
    }

    /// The function's nodes renamed into the caller's scope.
    private func body(of function: Onnx_FunctionProto, calledBy caller: Onnx_NodeProto) throws -> [Onnx_NodeProto] {
        guard caller.input.count <= function.input.count, caller.output.count <= function.output.count else {
            throw GraphError("\(caller.label): gives \(caller.input.count) inputs and \(caller.output.count) outputs, but function "
                             + "'\(function.name)' takes \(function.input.count) and \(function.output.count)")
        }
        let prefix = (!caller.name.isEmpty ? caller.name : (caller.output.first { !$0.isEmpty } ?? caller.opType)) + "/"
        var actual: [String: String] = [:]
        for (position, formal) in function.input.enumerated() {
            // An omitted optional input stays omitted inside the body.
            actual[formal] = position < caller.input.count ? caller.input[position] : ""
        }
        for (position, formal) in function.output.enumerated() where position < caller.output.count && !caller.output[position].isEmpty {
            actual[formal] = caller.output[position]
        }
        let renaming = Renaming(actual: actual, prefix: prefix)
        var attributes: [String: Onnx_AttributeProto] = [:]
        for attribute in function.attributeProto { attributes[attribute.name] = attribute }
        for attribute in caller.attribute { attributes[attribute.name] = attribute }
        return function.node.map { node in
            var inner = renaming.apply(to: node)
            inner.name = prefix + (node.name.isEmpty ? (node.output.first { !$0.isEmpty } ?? node.opType) : node.name)
            inner.attribute = node.attribute.compactMap { attribute in
                guard !attribute.refAttrName.isEmpty else { return renaming.apply(to: attribute) }
                // A reference the caller does not set and the function gives no default for is left out,
                // as the ONNX function semantics say.
                guard var bound = attributes[attribute.refAttrName] else { return nil }
                bound.name = attribute.name
                return bound
            }
            return inner
        }
    }
}

/// How a function body's value names map into the caller's scope.
private struct Renaming {
    /// Formal parameter → actual value of the call.
    let actual: [String: String]
    /// The prefix of every other name (the caller's name and `/`).
    let prefix: String

    func name(_ name: String) -> String {
        if name.isEmpty { return name }
        return actual[name] ?? prefix + name
    }

    func apply(to node: Onnx_NodeProto) -> Onnx_NodeProto {
        var result = node
        result.input = node.input.map(name)
        result.output = node.output.map(name)
        result.attribute = node.attribute.map(apply(to:))
        return result
    }

    /// Subgraphs see the body's values by name, so their names are renamed alike.
    func apply(to attribute: Onnx_AttributeProto) -> Onnx_AttributeProto {
        guard attribute.hasG || !attribute.graphs.isEmpty else { return attribute }
        var result = attribute
        if attribute.hasG { result.g = apply(to: attribute.g) }
        result.graphs = attribute.graphs.map(apply(to:))
        return result
    }

    func apply(to graph: Onnx_GraphProto) -> Onnx_GraphProto {
        var result = graph
        result.node = graph.node.map(apply(to:))
        result.input = graph.input.map { var info = $0; info.name = name(info.name); return info }
        result.output = graph.output.map { var info = $0; info.name = name(info.name); return info }
        result.valueInfo = graph.valueInfo.map { var info = $0; info.name = name(info.name); return info }
        result.initializer = graph.initializer.map { var tensor = $0; tensor.name = name(tensor.name); return tensor }
        return result
    }
}
