import Foundation
import PipeImport

/// Writing a command's output to `-o FILE` or to stdout.
public enum OutputFile {
    /// Writes `text` to the file at `path`, or to stdout when `path` is nil.
    /// Throws ``PipeImport/InputError`` naming the file when it cannot be written.
    public static func write(_ text: String, to path: String?) throws {
        guard let path else {
            FileHandle.standardOutput.write(Data(text.utf8))
            return
        }
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(file: path, problem: "cannot write the file (\((error as NSError).localizedDescription))")
        }
    }
}
