import Foundation
import Testing
import TensorEngine
import ImageCodecs

/// Tests on the project's larger shared test data (`../shared/testdata` beside the package),
/// skipped with a note when that folder is absent.
@Suite(.enabled(if: Fixtures.sharedAvailable, "needs ../shared/testdata next to the package root"))
struct SharedTestdataTests {
    @Test(arguments: ["Landscape", "Portrait"])
    func exifOrientationPhotosAllLookAlike(_ kind: String) throws {
        let upright = try ImageFile.read(Fixtures.shared + "/jpeg/exif-orientation/\(kind)_1.jpg")
        #expect(upright.tensor.w == (kind == "Landscape" ? 1800 : 1200))
        for n in 2...8 {
            let path = Fixtures.shared + "/jpeg/exif-orientation/\(kind)_\(n).jpg"
            let image = try ImageFile.read(path)
            #expect(image.metadata.orientation == n)
            #expect(image.tensor.shape == upright.tensor.shape, "\(kind)_\(n)")
            if image.tensor.shape == upright.tensor.shape {
                #expect(meanAbsDifference(image.tensor, upright.tensor) < 0.03, "\(kind)_\(n)")
            }
        }
        // Orientation 0 is out of range: shown as stored.
        #expect(try ImageFile.readInfo(Fixtures.shared + "/jpeg/exif-orientation/\(kind)_0.jpg").orientation == 1)
    }

    struct Expectation: Sendable, CustomStringConvertible {
        var path: String, result: String, detail: String
        var description: String { path }
    }

    static let expectations: [Expectation] = {
        guard let text = try? String(contentsOfFile: Fixtures.shared + "/EXPECTED-reference-decoders.tsv", encoding: .utf8) else { return [] }
        return text.split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: "\t", maxSplits: 2).map(String.init)
            return Expectation(path: f[0], result: f[1], detail: f.count > 2 ? f[2] : "")
        }
    }()

    /// OK → decodes; WARN → decodes with the library's warning (truncation: an error unless allowed);
    /// ERROR → rejected. Exception: `jpg-size-6x6.jpg` is a PNG with a .jpg name, which libjpeg
    /// rejects but imgconv, choosing the decoder by content, reads as the PNG it is.
    @Test(arguments: expectations)
    func behavesAsTheReferenceDecoders(_ e: Expectation) throws {
        let path = Fixtures.shared + "/" + e.path
        if e.path.hasSuffix("jpg-size-6x6.jpg") {
            #expect(try ImageFile.read(path).metadata.format == .png)
            return
        }
        switch e.result {
        case "OK":
            let image = try ImageFile.read(path)
            #expect(image.tensor.n == 1)
        case "WARN":
            // "libpng …: … warning: MESSAGE" or "libjpeg-turbo …: …; MESSAGE"
            let separator = e.detail.contains(" warning: ") ? " warning: " : "; "
            let warning = e.detail.components(separatedBy: separator).last!
            if warning.contains("Premature end of JPEG file") {
                #expect(throws: ImageCodecError.self) { try ImageFile.read(path) }
                #expect(try ImageFile.read(path, options: .init(allowTruncated: true)).warnings.contains("Premature end of JPEG file"))
            } else {
                let image = try ImageFile.read(path)
                #expect(image.warnings.contains(warning), "warnings \(image.warnings), expected \(warning)")
            }
        default:
            let error = #expect(throws: ImageCodecError.self) { try ImageFile.read(path) }
            let message = e.detail.split(separator: ":", maxSplits: 1).last!.trimmingCharacters(in: .whitespaces)
            #expect(error?.reason.contains(message) == true || error?.reason == "not a PNG, JPEG or .npy file",
                    "\(error?.reason ?? "no error"), expected \(message)")
        }
    }
}
