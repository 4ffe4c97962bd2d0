// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "PipeBound",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "pipebound", targets: ["pipebound"]),
        .library(name: "MIP", targets: ["MIP", "MIPSolvers"]),
        .library(name: "PipeBoundKit", targets: ["PipeGraph", "PipeImport", "PipePartition", "PipeBounds", "PipeCertify"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        // C libraries, wrapped as system-library targets.
        .systemLibrary(name: "CGLPK", path: "Modules/CGLPK", providers: [.apt(["libglpk-dev"])]),
        .systemLibrary(name: "CCBC", path: "Modules/CCBC", pkgConfig: "cbc", providers: [.apt(["coinor-libcbc-dev"])]),

        // A setjmp/longjmp guard so that no GLPK error can abort() the process.
        .target(name: "CGLPKGuard", dependencies: ["CGLPK"]),
        // A C entry point over CBC's C++ driver: stop requests, progress, no SIGINT handler.
        .target(name: "CCBCBridge", dependencies: ["CCBC"]),

        // MIP modelling layer: knows nothing of any solver.
        .target(name: "MIP"),
        // One adapter per C library.
        .target(name: "MIPGLPK", dependencies: ["MIP", "CGLPK", "CGLPKGuard"]),
        .target(name: "MIPCBC", dependencies: ["MIP", "CCBCBridge"]),
        // Chooses a backend by name at run time.
        .target(name: "MIPSolvers", dependencies: ["MIP", "MIPGLPK", "MIPCBC"]),

        // Computation graph and cost model.
        .target(name: "PipeGraph", dependencies: [.product(name: "HeapModule", package: "swift-collections")]),
        // Importers: ONNX, dnn-partitioning JSON, CostGraphDef text, synthetic generators.
        .target(name: "PipeImport", dependencies: [
            "PipeGraph",
            .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ]),
        // Upper bounds: partitions.
        .target(name: "PipePartition", dependencies: [
            "PipeGraph",
            .product(name: "HeapModule", package: "swift-collections"),
        ]),
        // Lower bounds: combinatorial and MIP relaxations (through MIP only).
        .target(name: "PipeBounds", dependencies: ["PipeGraph", "PipePartition", "MIP"]),
        // The certify driver (Run/), certificates (Certificate/), reports (Report/), regression suites
        // (Suite/), partition repair (Repair/). Solvers are handed in: it names no backend.
        .target(name: "PipeCertify", dependencies: ["PipeGraph", "PipeImport", "PipePartition", "PipeBounds", "MIP"]),
        // The command line, with the process work: signals, the terminal, resolving --solver.
        .executableTarget(name: "pipebound", dependencies: [
            "PipeCertify", "PipeGraph", "PipeImport", "PipePartition", "PipeBounds", "MIP", "MIPSolvers",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        // Benchmarks (make bench): ratios measured side by side in one run.
        .executableTarget(name: "pipebound-bench", dependencies: [
            "PipeCertify", "PipeGraph", "PipeImport", "PipePartition", "PipeBounds", "MIP", "MIPSolvers",
        ]),

        // Generators, brute force, fixture paths and checks shared by the tests and `pipebound-soundness`.
        .target(name: "PipeTestSupport", dependencies: ["PipeGraph", "PipePartition", "PipeBounds", "MIP"]),
        // The medium soundness check in a release build (make test runs it on 500 graphs).
        .executableTarget(name: "pipebound-soundness", dependencies: [
            "PipeTestSupport", "PipeGraph", "MIP", "MIPSolvers",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .testTarget(name: "MIPTests", dependencies: ["MIP", "MIPGLPK", "MIPCBC", "CCBCBridge", "MIPSolvers", "PipeGraph", "CGLPK", "CGLPKGuard"]),
        .testTarget(name: "PipeGraphTests", dependencies: ["PipeGraph", "PipeImport", "PipeTestSupport"]),
        .testTarget(name: "PipeImportTests", dependencies: ["PipeGraph", "PipeImport", "PipeTestSupport"]),
        .testTarget(name: "PipePartitionTests", dependencies: ["PipeGraph", "PipePartition", "PipeTestSupport"]),
        .testTarget(name: "PipeBoundsTests", dependencies: ["PipeGraph", "PipeImport", "PipePartition", "PipeBounds", "MIP", "MIPSolvers", "PipeTestSupport"]),
        .testTarget(name: "PipeCertifyTests", dependencies: ["PipeCertify", "PipeGraph", "PipeImport", "MIPSolvers", "PipeTestSupport"]),
        // Tests that run the built programs (`pipebound`, `pipebound-soundness`) as a user would.
        .testTarget(name: "PipeboundCommandTests", dependencies: ["PipeCertify", "PipeGraph", "PipeImport", "PipePartition", "MIPSolvers", "PipeTestSupport"]),
    ],
    swiftLanguageModes: [.v5]
)
