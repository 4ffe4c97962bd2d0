import Foundation

/// Locations of the committed fixtures, relative to this source file (Sources/PipeTestSupport/FixturePaths.swift).
public enum FixturePaths {
    /// The repository's Fixtures directory.
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A path under Fixtures/.
    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Files of a Fixtures subdirectory, sorted.
    public static func files(in directory: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path(directory))) ?? []
        return names.sorted().map { path("\(directory)/\($0)") }
    }

    /// The light ONNX models extracted by `make fixtures`, when the cache exists.
    public static let lightModelDirectory = path(".cache/wheel/onnx/backend/test/data/light")
}
