import Foundation
import Testing
import TensorEngine
@testable import ImageCodecs

@Suite struct ImageFormatTests {
    @Test func detectsByContent() {
        #expect(ImageFormat.detect(magic: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) == .png)
        #expect(ImageFormat.detect(magic: [0xFF, 0xD8, 0xFF, 0xE0]) == .jpeg)
        #expect(ImageFormat.detect(magic: [0x93] + Array("NUMPY".utf8) + [1, 0]) == .npy)
        #expect(ImageFormat.detect(magic: Array("GIF89a".utf8)) == nil)
        #expect(ImageFormat.detect(magic: []) == nil)
    }

    @Test func outputFormatFromExtension() throws {
        #expect(try ImageFormat.forOutputPath("a/b.PNG") == .png)
        #expect(try ImageFormat.forOutputPath("x.jpg") == .jpeg)
        #expect(try ImageFormat.forOutputPath("x.jpeg") == .jpeg)
        #expect(try ImageFormat.forOutputPath("dir.v2/x.npy") == .npy)
        let error = #expect(throws: ImageCodecError.self) { try ImageFormat.forOutputPath("out.gif") }
        #expect(error?.reason == "output has the unsupported extension .gif; use .png, .jpg, .jpeg, .npy, .txt or .csv")
        #expect(throws: ImageCodecError.self) { try ImageFormat.forOutputPath("dir.v2/out") }
    }

    @Test func nonImageInputIsRejectedPlainly() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try Data("hello".utf8).write(to: URL(fileURLWithPath: folder.file("a.png")))
        let error = #expect(throws: ImageCodecError.self) { try ImageFile.read(folder.file("a.png")) }
        #expect(error?.reason == "not a PNG, JPEG or .npy file")
        #expect(throws: ImageCodecError.self) { try ImageFile.read(folder.file("missing.png")) }
        // A truncated PNG is an error, not a crash.
        let png = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("pngsuite/basn6a08.png"))))
        try Data(png.prefix(png.count / 2)).write(to: URL(fileURLWithPath: folder.file("half.png")))
        let half = #expect(throws: ImageCodecError.self) { try ImageFile.read(folder.file("half.png")) }
        #expect(half?.reason.hasPrefix("PNG error: ") == true)
    }
}

@Suite struct AtomicFileTests {
    @Test func writesAndLeavesNoTemporaryFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try AtomicFile.write([1, 2, 3], to: folder.file("a.bin"))
        try AtomicFile.write([4, 5], to: folder.file("a.bin"))
        #expect(try AtomicFile.read(folder.file("a.bin")) == [4, 5])
        #expect(folder.contents() == ["a.bin"])
    }

    @Test func missingFolderIsAClearError() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let error = #expect(throws: ImageCodecError.self) { try AtomicFile.write([1], to: folder.file("no/such/a.png")) }
        #expect(error?.reason == "the output folder \(folder.file("no/such")) does not exist")
    }

    @Test func failedRenameLeavesNothingBehind() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        // A non-empty folder where the file should go: rename(2) fails after the bytes were written.
        try FileManager.default.createDirectory(atPath: folder.file("out.png/inside"), withIntermediateDirectories: true)
        let image = try ImageFile.read(Fixtures.path("pngsuite/basn0g08.png"))
        #expect(throws: ImageCodecError.self) { try ImageFile.write(image.tensor, to: folder.file("out.png"), source: nil) }
        #expect(folder.contents() == ["out.png"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.file("out.png")) == ["inside"])
    }

    @Test func refusesToOverwriteTheInput() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try AtomicFile.write([1], to: folder.file("in.png"))
        try FileManager.default.createSymbolicLink(atPath: folder.file("link.png"), withDestinationPath: folder.file("in.png"))
        #expect(throws: ImageCodecError.self) { try AtomicFile.ensureDistinct(output: folder.file("in.png"), input: folder.file("in.png")) }
        #expect(throws: ImageCodecError.self) { try AtomicFile.ensureDistinct(output: folder.file("link.png"), input: folder.file("./in.png")) }
        #expect(throws: Never.self) { try AtomicFile.ensureDistinct(output: folder.file("new.png"), input: folder.file("in.png")) }
    }
}

@Suite struct PixelConversionTests {
    @Test func quantizingMatchesRoundedForEveryTrickyValue() {
        var values: [Float] = [0, 0.49999997 / 255, 0.5 / 255, 1, -0.0, .nan, -.infinity, .infinity, 1.0000001, 0.99999994]
        for i in 0...255 { for d: Float in [-0.5, -0.4999, 0, 0.4999, 0.5] { values.append((Float(i) + d) / 255) } }
        for v in values {
            let clamped: Float = v > 0 ? min(v, 1) : 0
            #expect(PixelConversion.quantize8(v) == UInt8((clamped * 255).rounded()), "\(v)")
            #expect(PixelConversion.quantize16(v) == UInt16((clamped * 65535).rounded()), "\(v)")
        }
        #expect(PixelConversion.roundHalfUp(0.49999997) == 0 && PixelConversion.roundHalfUp(2.5) == 3)
    }
}
