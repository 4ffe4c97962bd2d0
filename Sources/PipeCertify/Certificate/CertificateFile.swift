import Foundation
import PipeGraph
import PipeImport

/// Reads certificate files: one certificate object, or an array of them (several stage counts).
public enum CertificateFile {
    /// The certificates in the file at `path`. Throws ``PipeImport/InputError`` naming the file and the problem.
    public static func read(path: String) throws -> [Certificate] {
        let data = try InputFile.data(path: path)
        return try decode(data, file: path)
    }

    /// The certificates in `data` (one object or an array), errors naming `file`.
    public static func decode(_ data: Data, file: String) throws -> [Certificate] {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do {
            let top = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            let certificates: [Certificate]
            if top is [Any] {
                certificates = try decoder.decode([Certificate].self, from: data)
            } else if let object = top as? [String: Any] {
                guard object["format"] as? String == Certificate.formatName else {
                    throw InputError(file: file, problem: "not a certificate: field 'format' is not '\(Certificate.formatName)'")
                }
                certificates = [try decoder.decode(Certificate.self, from: data)]
            } else {
                throw InputError(file: file, problem: "expected a certificate object or an array of certificates")
            }
            guard !certificates.isEmpty else { throw InputError(file: file, problem: "the array holds no certificate") }
            for (position, certificate) in certificates.enumerated() {
                guard certificate.format == Certificate.formatName else {
                    throw InputError(file: file, problem: "[\(position)]: field 'format' is '\(certificate.format)', expected '\(Certificate.formatName)'")
                }
                guard certificate.version == Certificate.currentVersion else {
                    throw InputError(file: file, problem: "field 'version' is \(certificate.version); this build reads version \(Certificate.currentVersion)")
                }
            }
            return certificates
        } catch let error as InputError {
            throw error
        } catch let error as DecodingError {
            throw InputError(file: file, problem: JSONErrorText.describe(error))
        } catch {
            throw InputError(file: file, problem: "not valid JSON (\(JSONErrorText.describe(error)))")
        }
    }

    /// The one certificate with `stageCount` stages (or the only one when `stageCount` is nil).
    public static func select(_ certificates: [Certificate], stageCount: Int?, file: String) throws -> Certificate {
        if let stageCount {
            guard let match = certificates.first(where: { $0.stages == stageCount }) else {
                let available = certificates.map { "\($0.stages)" }.joined(separator: ", ")
                throw InputError(file: file, problem: "no certificate for k = \(stageCount) (the file has k = \(available))")
            }
            return match
        }
        guard certificates.count == 1 else {
            let available = certificates.map { "\($0.stages)" }.joined(separator: ", ")
            throw InputError(file: file, problem: "holds \(certificates.count) certificates (k = \(available)); choose one with --stages")
        }
        return certificates[0]
    }
}

/// Reading input files with errors that name them.
public enum InputFile {
    /// The bytes of the file at `path` ("-" is not special). Throws ``PipeImport/InputError``.
    public static func data(path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, problem: "no such file")
        }
        guard !isDirectory.boolValue else { throw InputError(file: path, problem: "is a directory, not a file") }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw InputError(file: path, problem: "cannot read the file (\((error as NSError).localizedDescription))")
        }
    }
}

/// One-line descriptions of JSON errors, with the JSON path of the problem (the graph reader's wording).
enum JSONErrorText {
    static func describe(_ error: Error) -> String {
        if let error = error as? DecodingError { return GraphFile.describe(error) }
        let nsError = error as NSError
        return (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
    }
}
