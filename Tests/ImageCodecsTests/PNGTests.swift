import Foundation
import Testing
import TensorEngine
@testable import ImageCodecs

@Suite struct PNGDecodingTests {
    @Test func referencesArePresent() {
        #expect(Fixtures.references("pngsuite-references.tsv").count == 162)
        #expect(Fixtures.pngSuite(corrupt: true).count == 14)
    }

    @Test(arguments: Fixtures.references("pngsuite-references.tsv"))
    func decodesLikeOpenCV(_ ref: Fixtures.Reference) throws {
        let image = try ImageFile.read(Fixtures.path("pngsuite/" + ref.file))
        #expect(image.tensor.shape == TensorShape(n: 1, c: ref.c, h: ref.h, w: ref.w))
        #expect(image.metadata.channels == ref.c)
        #expect((image.metadata.bitDepth == 16) == (ref.bits == 16))
        #expect(sampleHash(image.tensor, bits: ref.bits) == ref.hash)
    }

    @Test(arguments: Fixtures.pngSuite(corrupt: true))
    func rejectsCorruptFile(_ name: String) {
        #expect {
            _ = try ImageFile.read(Fixtures.path("pngsuite/" + name))
        } throws: { error in
            let e = error as! ImageCodecError
            return e.path.hasSuffix(name) && (e.reason.hasPrefix("PNG error: ") || e.reason == "not a PNG, JPEG or .npy file")
        }
    }

    @Test func reportsLibpngReason() throws {
        let error = #expect(throws: ImageCodecError.self) { try ImageFile.read(Fixtures.path("pngsuite/xhdn0g08.png")) }
        #expect(error?.reason == "PNG error: IHDR: CRC error")
        let crlf = #expect(throws: ImageCodecError.self) { try ImageFile.read(Fixtures.path("pngsuite/xcrn0g04.png")) }
        #expect(crlf?.reason == "PNG error: PNG file corrupted by ASCII conversion")
    }

    @Test func metadataOfPaletteAndSixteenBit() throws {
        let palette = try ImageFile.readInfo(Fixtures.path("pngsuite/tbbn3p08.png"))
        #expect(palette.colorType == "palette+tRNS" && palette.channels == 4 && palette.bitDepth == 8)
        let deep = try ImageFile.readInfo(Fixtures.path("pngsuite/basn6a16.png"))
        #expect(deep.colorType == "RGBA" && deep.channels == 4 && deep.bitDepth == 16 && deep.width == 32)
    }

    @Test func refusesHugeImageBeforeAllocating() throws {
        // A valid signature and IHDR claiming 100000×100000 RGB (120 GB of floats), then an empty IDAT.
        var ihdr: [UInt8] = Array("IHDR".utf8) + bigEndian32(100_000) + bigEndian32(100_000) + [8, 2, 0, 0, 0]
        ihdr = bigEndian32(13) + ihdr + bigEndian32(crc32(ihdr)) + bigEndian32(0) + Array("IDAT".utf8) + bigEndian32(crc32(Array("IDAT".utf8)))
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let file = folder.file("huge.png")
        try Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + ihdr).write(to: URL(fileURLWithPath: file))
        let info = try ImageFile.readInfo(file)
        #expect(info.width == 100_000 && info.height == 100_000)
        let error = #expect(throws: ImageCodecError.self) { try ImageFile.read(file) }
        #expect(error?.reason == "image is 100000×100000, more than the 1000-megapixel limit")
        #expect(throws: ImageCodecError.self) { try ImageFile.read(Fixtures.path("pngsuite/basn0g08.png"), options: .init(maxPixels: 1000)) }
        #expect(throws: Never.self) { try ImageFile.read(Fixtures.path("pngsuite/basn0g08.png"), options: .init(maxPixels: 1024)) }
    }
}

@Suite struct PNGEncodingTests {
    @Test(arguments: ["basn0g08", "basn4a08", "basn2c08", "basn6a08", "basn0g16", "basn4a16", "basn2c16", "basn6a16", "basi6a16", "tbbn3p08"])
    func roundTripIsBitExact(_ name: String) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let original = try ImageFile.read(Fixtures.path("pngsuite/\(name).png"))
        let out = folder.file("out.png")
        try ImageFile.write(original.tensor, to: out, source: original.metadata)
        let again = try ImageFile.read(out)
        #expect(again.tensor == original.tensor)
        #expect(again.metadata.bitDepth == (name.hasSuffix("16") ? 16 : 8))
        #expect(folder.contents() == ["out.png"])
    }

    @Test func sixteenBitCanBeNarrowed() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let original = try ImageFile.read(Fixtures.path("pngsuite/basn2c16.png"))
        try ImageFile.write(original.tensor, to: folder.file("8.png"), source: original.metadata, options: .init(bitDepth: 8))
        let narrowed = try ImageFile.read(folder.file("8.png"))
        #expect(narrowed.metadata.bitDepth == 8)
        #expect(meanAbsDifference(narrowed.tensor, original.tensor) < 1.0 / 255)
        #expect(narrowed.tensor != original.tensor)
    }

    @Test func clampsAndRoundsToNearest() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let values: [Float] = [-1, .nan, 0.5, 2, 0.2 / 255, 0.6 / 255, 1, .infinity]
        let t = Tensor(shape: TensorShape(n: 1, c: 1, h: 1, w: 8), storage: values)
        try ImageFile.write(t, to: folder.file("g.png"), source: nil)
        let back = try ImageFile.read(folder.file("g.png")).tensor.storage.map { Int(($0 * 255).rounded()) }
        #expect(back == [0, 0, 128, 255, 0, 1, 255, 255])
    }

    @Test func compressionLevelChangesSizeNotPixels() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let image = try ImageFile.read(Fixtures.path("pngsuite/PngSuite.png"))
        try ImageFile.write(image.tensor, to: folder.file("0.png"), source: nil, options: .init(compressionLevel: 0))
        try ImageFile.write(image.tensor, to: folder.file("9.png"), source: nil, options: .init(compressionLevel: 9))
        let size = { (name: String) in try FileManager.default.attributesOfItem(atPath: folder.file(name))[.size] as! Int }
        #expect(try size("0.png") > size("9.png"))
        #expect(try ImageFile.read(folder.file("0.png")).tensor == ImageFile.read(folder.file("9.png")).tensor)
        #expect(throws: ImageCodecError.self) { try ImageFile.write(image.tensor, to: folder.file("x.png"), source: nil, options: .init(compressionLevel: 12)) }
    }

    @Test func iccProfileRoundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let withICC = try ImageFile.read(Fixtures.path("jpeg/mozilla/jpg-srgb-icc.jpg"))
        let profile = try #require(withICC.metadata.iccProfile)
        #expect(profile.count > 100)
        let image = try ImageFile.read(Fixtures.path("pngsuite/basn2c08.png"))
        #expect(image.metadata.iccProfile == nil)
        // libpng notes "profile matches sRGB but writing iCCP instead": a warning, not an error.
        try ImageFile.write(image.tensor, to: folder.file("icc.png"), source: image.metadata, options: .init(iccProfile: profile))
        #expect(try ImageFile.readInfo(folder.file("icc.png")).iccProfile == profile)
        // Carried through from the source by default.
        let again = try ImageFile.read(folder.file("icc.png"))
        try ImageFile.write(again.tensor, to: folder.file("carried.png"), source: again.metadata)
        #expect(try ImageFile.readInfo(folder.file("carried.png")).iccProfile == profile)
    }

    @Test func refusesNonImageShapes() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        for shape in [TensorShape(n: 2, c: 3, h: 4, w: 4), TensorShape(n: 1, c: 5, h: 4, w: 4)] {
            let error = #expect(throws: ImageCodecError.self) { try ImageFile.write(Tensor(shape: shape), to: folder.file("a.png"), source: nil) }
            #expect(error?.reason.contains("\(shape)") == true)
        }
        #expect(folder.contents().isEmpty)
    }
}
