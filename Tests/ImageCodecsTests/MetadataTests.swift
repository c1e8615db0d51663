import Foundation
@testable import ImageCodecs
import TensorEngine
import Testing

/// EXIF and XMP: read from JPEG APP1 and PNG eXIf/iTXt (checked against exiftool's reading of the committed
/// fixtures, `Fixtures/metadata/reference.json`), orientation applied for both formats, carried into PNG and
/// JPEG outputs byte for byte with only the Orientation value reset, and left out with `stripMetadata`.
@Suite struct MetadataTests {
    static let folder = Fixtures.folder + "/metadata"

    struct Reference: Decodable {
        var SourceFile: String
        var byteOrder: String
        var orientation: Int
        var title: String
    }

    /// One entry of exiftool's JSON; plain.png has none of the tags.
    struct Entry: Decodable {
        var SourceFile: String
        var byteOrder: String?
        var orientation: Int?
        var title: String?
        enum CodingKeys: String, CodingKey {
            case SourceFile, byteOrder = "File:ExifByteOrder", orientation = "EXIF:Orientation", title = "XMP:Title"
        }
    }

    static let references: [Reference] = {
        let data = FileManager.default.contents(atPath: folder + "/reference.json") ?? Data()
        let entries = (try? JSONDecoder().decode([Entry].self, from: data)) ?? []
        return entries.compactMap { e in
            guard let b = e.byteOrder, let o = e.orientation, let t = e.title else { return nil }
            return Reference(SourceFile: e.SourceFile, byteOrder: b, orientation: o, title: t)
        }
    }()

    static func path(_ reference: Reference) -> String { folder + "/" + reference.SourceFile.replacingOccurrences(of: "./", with: "") }

    @Test func theFixturesAreThere() { #expect(Self.references.count == 6) }

    @Test(arguments: references.map(\.SourceFile))
    func readingAgreesWithExiftool(file: String) throws {
        let reference = try #require(Self.references.first { $0.SourceFile == file })
        let info = try ImageFile.readInfo(Self.path(reference))
        #expect(info.orientation == reference.orientation)
        let exif = try #require(info.embedded.exif)
        #expect(String(decoding: exif.prefix(2), as: UTF8.self) == reference.byteOrder)
        #expect(ExifOrientation.parse(exif) == reference.orientation)
        let xmp = String(decoding: try #require(info.embedded.xmp), as: UTF8.self)
        #expect(xmp.contains(reference.title))
        // Displayed size: the base is 4 wide, 3 high.
        #expect((info.width, info.height) == (reference.orientation >= 5 ? (3, 4) : (4, 3)))
    }

    /// PNG's eXIf orientation is applied as JPEG's is (browsers and Pillow do), and only when asked.
    @Test(arguments: references.filter { $0.SourceFile.hasSuffix(".png") }.map(\.SourceFile))
    func pngOrientationIsApplied(file: String) throws {
        let reference = try #require(Self.references.first { $0.SourceFile == file })
        let plain = try ImageFile.read(Self.folder + "/plain.png").tensor
        let oriented = try ImageFile.read(Self.path(reference)).tensor
        #expect(oriented == ExifOrientation.apply(plain, orientation: reference.orientation))
        #expect(try ImageFile.read(Self.path(reference), options: DecodeOptions(autoOrient: false)).tensor == plain)
        if reference.orientation == 6 {
            // 90° clockwise, written out: displayed (y, x) is stored (H − 1 − x, y).
            let h = plain.h
            for c in 0..<plain.c { for y in 0..<oriented.h { for x in 0..<oriented.w {
                #expect(oriented[0, c, y, x] == plain[0, c, h - 1 - x, y])
            } } }
        }
        // The row reader reports the orientation, so a file job knows to turn the rows (a barrier) or mirror them.
        let reader = try #require(try ImageReader(Self.path(reference)))
        #expect(reader.orientation == reference.orientation)
    }

    @Test(arguments: references.map(\.SourceFile), ["png", "jpg"])
    func exifAndXMPAreCarriedWithTheOrientationReset(file: String, ext: String) throws {
        let reference = try #require(Self.references.first { $0.SourceFile == file })
        let image = try ImageFile.read(Self.path(reference))
        var metadata = image.metadata
        metadata.orientation = 1  // the pixels are upright now, as FileJob records it
        let out = try temporaryFolder() + "/out." + ext
        try ImageFile.write(image.tensor, to: out, source: metadata)
        let written = try ImageFile.readInfo(out)
        let exif = try #require(written.embedded.exif), original = try #require(image.metadata.embedded.exif)
        #expect(written.orientation == 1)
        #expect(exif.count == original.count)
        #expect(zip(exif, original).filter { $0 != $1 }.count == 1, "only the orientation value's low byte changes")
        #expect(exif == ExifOrientation.setting(original, to: 1))
        #expect(written.embedded.xmp == image.metadata.embedded.xmp)
        // The file is still well-formed for our decoders (CRCs, segment lengths).
        #expect(try ImageFile.read(out).tensor.shape == image.tensor.shape)

        var options = EncodeOptions()
        options.stripMetadata = true
        let stripped = try temporaryFolder() + "/stripped." + ext
        try ImageFile.write(image.tensor, to: stripped, source: metadata, options: options)
        #expect(try ImageFile.readInfo(stripped).embedded == EmbeddedMetadata())
    }

    /// Without auto-orientation the pixels stay as stored, so the tag must stay too.
    @Test func aKeptOrientationIsWrittenBack() throws {
        let image = try ImageFile.read(Self.folder + "/jpeg-mm-o8.jpg", options: DecodeOptions(autoOrient: false))
        let out = try temporaryFolder() + "/kept.png"
        try ImageFile.write(image.tensor, to: out, source: image.metadata)
        #expect(try ImageFile.readInfo(out).orientation == 8)
    }

    @Test(arguments: [true, false])
    func settingTheOrientationRoundTripsInBothByteOrders(little: Bool) throws {
        let file = little ? "/png-ii-o6.png" : "/jpeg-mm-o8.jpg"
        let exif = try #require(try ImageFile.readInfo(Self.folder + file).embedded.exif)
        for value in 1...8 { #expect(ExifOrientation.parse(ExifOrientation.setting(exif, to: value)) == value) }
    }

    /// Hostile blocks: every truncation and single-byte change of the fixtures' EXIF parses to some
    /// orientation in 1...8 without a crash, and patching never changes the length.
    @Test func malformedExifNeverCrashes() throws {
        let exif = try #require(try ImageFile.readInfo(Self.folder + "/jpeg-ii-o6.jpg").embedded.exif)
        for n in 0...exif.count {
            let cut = Array(exif.prefix(n))
            #expect((1...8).contains(ExifOrientation.parse(cut)))
            #expect(ExifOrientation.setting(cut, to: 1).count == n)
        }
        for i in 0..<min(exif.count, 64) {
            for v: UInt8 in [0, 0xFF, 0x7F] {
                var bent = exif
                bent[i] = v
                #expect((1...8).contains(ExifOrientation.parse(bent)))
            }
        }
        // Truncated files: the scanners stop at the end.
        for file in ["/jpeg-ii-o6.jpg", "/png-mm-o5.png"] {
            let bytes = try #require(FileManager.default.contents(atPath: Self.folder + file).map(Array.init))
            for n in stride(from: 0, through: bytes.count, by: 7) {
                let cut = Array(bytes.prefix(n))
                _ = cut.withUnsafeBufferPointer { file.hasSuffix(".jpg") ? EmbeddedMetadata.scanJPEG($0) : EmbeddedMetadata.scanPNG($0) }
            }
        }
    }

    @Test(.enabled(if: Fixtures.sharedAvailable, "needs ../shared/testdata next to the package root"))
    func aPhonePhotosExifIsKeptWhole() throws {
        let photo = Fixtures.shared + "/photos/012mp-bus.jpg"
        let info = try ImageFile.readInfo(photo)
        let exif = try #require(info.embedded.exif)
        #expect(ifd0EntryCount(exif) > 5)
        let image = try ImageFile.read(photo)
        let out = try temporaryFolder() + "/bus.jpg"
        try ImageFile.write(image.tensor, to: out, source: image.metadata)
        #expect(try ImageFile.readInfo(out).embedded.exif == ExifOrientation.setting(exif, to: 1))
    }

    private func ifd0EntryCount(_ tiff: [UInt8]) -> Int {
        let little = tiff[0] == 0x49
        func u16(_ i: Int) -> Int { little ? Int(tiff[i]) | Int(tiff[i + 1]) << 8 : Int(tiff[i]) << 8 | Int(tiff[i + 1]) }
        let ifd = little ? u16(4) | u16(6) << 16 : u16(4) << 16 | u16(6)
        return u16(ifd)
    }

    private func temporaryFolder() throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("imgconv-metadata-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }
}
