import Foundation
import Testing
import TensorEngine
@testable import ImageCodecs

@Suite struct JPEGDecodingTests {
    @Test func referencesArePresent() {
        #expect(Fixtures.references("jpeg-references.tsv").count == 25)
    }

    @Test(arguments: Fixtures.references("jpeg-references.tsv"))
    func decodesLikeDjpeg(_ ref: Fixtures.Reference) throws {
        // djpeg does not apply EXIF orientation, so compare the stored pixels.
        let image = try ImageFile.read(Fixtures.path(ref.file), options: .init(autoOrient: false))
        #expect(image.tensor.shape == TensorShape(n: 1, c: ref.c, h: ref.h, w: ref.w))
        #expect(sampleHash(image.tensor, bits: 8) == ref.hash)
    }

    @Test func kindsOfFile() throws {
        #expect(try ImageFile.readInfo(Fixtures.path("jpeg/libjpeg-turbo/testimggray.jpg")).colorType == "gray")
        #expect(try ImageFile.readInfo(Fixtures.path("jpeg/libjpeg-turbo/testorig.jpg")).colorType == "YCbCr")
        let ycck = try ImageFile.read(Fixtures.path("jpeg/pillow/pil_sample_cmyk.jpg"))  // Adobe transform 2
        #expect(ycck.metadata.colorType == "YCCK" && ycck.tensor.c == 3 && ycck.metadata.channels == 3)
        let cmyk = try ImageFile.read(Fixtures.path("jpeg/mozilla/jpg-cmyk-1.jpg"))  // Adobe transform 0
        #expect(cmyk.metadata.colorType == "CMYK" && cmyk.tensor.c == 3)
    }

    @Test func twelveBitIsRejectedWithLibjpegsMessage() {
        let error = #expect(throws: ImageCodecError.self) { try ImageFile.read(Fixtures.path("jpeg/libjpeg-turbo/testorig12.jpg")) }
        #expect(error?.reason == "JPEG error: Unsupported JPEG data precision 12")
    }

    @Test func truncatedFileIsAnErrorUnlessAllowed() throws {
        let path = Fixtures.path("jpeg/pillow/truncated_jpeg.jpg")
        let error = #expect(throws: ImageCodecError.self) { try ImageFile.read(path) }
        #expect(error?.reason.hasPrefix("JPEG error: Premature end of JPEG file") == true)
        let image = try ImageFile.read(path, options: .init(allowTruncated: true))
        #expect(image.tensor.shape == TensorShape(n: 1, c: 3, h: 100, w: 100))
        #expect(image.warnings == ["Premature end of JPEG file"])
    }

    @Test func extraneousBytesAreAWarning() throws {
        let image = try ImageFile.read(Fixtures.path("jpeg/jpeg-decoder/extraneous-data.jpg"))
        #expect(image.warnings == ["Corrupt JPEG data: 3 extraneous bytes before marker 0xd9"])
    }

    @Test func cleanFileHasNoWarnings() throws {
        #expect(try ImageFile.read(Fixtures.path("jpeg/libjpeg-turbo/testorig.jpg")).warnings.isEmpty)
    }

    @Test func refusesHugeImage() {
        let error = #expect(throws: ImageCodecError.self) {
            try ImageFile.read(Fixtures.path("jpeg/libjpeg-turbo/testorig.jpg"), options: .init(maxPixels: 30_000))
        }
        #expect(error?.reason == "image is 227×149, more than the 30000-pixel limit")
    }
}

@Suite struct ExifOrientationTests {
    @Test(arguments: 2...8)
    func hopperOrientationsLookLikeHopper(_ n: Int) throws {
        let upright = try ImageFile.read(Fixtures.path("jpeg/pillow/hopper.jpg")).tensor
        let path = Fixtures.path("jpeg/pillow/hopper_orientation_\(n).jpg")
        let oriented = try ImageFile.read(path)
        #expect(oriented.metadata.orientation == n)
        #expect(meanAbsDifference(oriented.tensor, upright) < 0.02)
        let stored = try ImageFile.read(path, options: .init(autoOrient: false))
        #expect(meanAbsDifference(stored.tensor, upright) > 0.05)
    }

    @Test func rectangleSwapsWidthAndHeight() throws {
        let path = Fixtures.path("jpeg/pillow/orientation_rectangle.jpg")
        let info = try ImageFile.readInfo(path)
        #expect(info.orientation == 8 && info.width == 1 && info.height == 2)
        #expect(try ImageFile.read(path).tensor.shape == TensorShape(n: 1, c: 3, h: 2, w: 1))
        #expect(try ImageFile.read(path, options: .init(autoOrient: false)).tensor.shape == TensorShape(n: 1, c: 3, h: 1, w: 2))
    }

    /// A JPEG of `tensor` carrying an Exif APP1 with orientation `tag` in the given byte order.
    private func jpegWithOrientation(_ tag: Int, bigEndian: Bool, in folder: TemporaryFolder, _ tensor: Tensor) throws -> String {
        let plain = folder.file("plain.jpg")
        try ImageFile.write(tensor, to: plain, source: nil, options: .init(quality: 100))
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: plain)))
        let u16 = { (v: Int) -> [UInt8] in bigEndian ? [UInt8(v >> 8), UInt8(v & 0xFF)] : [UInt8(v & 0xFF), UInt8(v >> 8)] }
        let u32 = { (v: Int) -> [UInt8] in bigEndian ? [0, 0] + u16(v) : u16(v) + [0, 0] }
        let tiff: [UInt8] = (bigEndian ? Array("MM".utf8) : Array("II".utf8)) + u16(42) + u32(8)
            + u16(2) + u16(0x010F) + u16(2) + u32(1) + [0x41, 0, 0, 0]  // Make "A", then Orientation
            + u16(0x0112) + u16(3) + u32(1) + u16(tag) + [0, 0] + u32(0)
        let payload = Array("Exif".utf8) + [0, 0] + tiff
        let app1: [UInt8] = [0xFF, 0xE1, UInt8((payload.count + 2) >> 8), UInt8((payload.count + 2) & 0xFF)] + payload
        let file = folder.file("tag\(tag)\(bigEndian ? "MM" : "II").jpg")
        try Data(Array(bytes[0..<2]) + app1 + Array(bytes[2...])).write(to: URL(fileURLWithPath: file))
        return file
    }

    /// The displayed pixel (y, x) of a stored w×h image, written independently of ExifOrientation.
    private func storedPixel(displayedY y: Int, x: Int, tag: Int, w: Int, h: Int) -> (Int, Int) {
        switch tag {
        case 2: return (y, w - 1 - x)
        case 3: return (h - 1 - y, w - 1 - x)
        case 4: return (h - 1 - y, x)
        case 5: return (x, y)
        case 6: return (h - 1 - x, y)
        case 7: return (h - 1 - x, w - 1 - y)
        case 8: return (x, w - 1 - y)
        default: return (y, x)
        }
    }

    @Test(arguments: [false, true])
    func everyTagInBothByteOrders(_ bigEndian: Bool) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let (w, h) = (24, 16)
        var pattern = Tensor(shape: TensorShape(n: 1, c: 1, h: h, w: w))
        for y in 0..<h { for x in 0..<w { pattern[0, 0, y, x] = Float((x * 7 + y * 13) % 32) / 31 } }
        for tag in 1...8 {
            let file = try jpegWithOrientation(tag, bigEndian: bigEndian, in: folder, pattern)
            let stored = try ImageFile.read(file, options: .init(autoOrient: false)).tensor
            let shown = try ImageFile.read(file)
            #expect(shown.metadata.orientation == tag)
            let (dw, dh) = tag >= 5 ? (h, w) : (w, h)
            #expect(shown.tensor.shape == TensorShape(n: 1, c: 1, h: dh, w: dw))
            #expect(shown.metadata.width == dw && shown.metadata.height == dh)
            var same = true
            for y in 0..<dh {
                for x in 0..<dw {
                    let (sy, sx) = storedPixel(displayedY: y, x: x, tag: tag, w: w, h: h)
                    same = same && shown.tensor[0, 0, y, x] == stored[0, 0, sy, sx]
                }
            }
            #expect(same, "orientation \(tag)")
        }
    }

    @Test func malformedExifMeansUpright() {
        let bad: [UInt8] = Array("II".utf8) + [42, 0, 200, 0, 0, 0]
        #expect(ExifOrientation.parse(bad) == 1)
        let truncated: [UInt8] = [0x4D, 0x4D]
        #expect(ExifOrientation.parse(truncated) == 1)
    }
}

@Suite struct JPEGEncodingTests {
    @Test func colourAndGrayRoundTripClosely() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        for name in ["basn2c08", "basn0g08"] {
            let image = try ImageFile.read(Fixtures.path("pngsuite/\(name).png"))
            let warnings = try ImageFile.write(image.tensor, to: folder.file("\(name).jpg"), source: image.metadata, options: .init(quality: 95))
            #expect(warnings.isEmpty)
            let back = try ImageFile.read(folder.file("\(name).jpg"))
            #expect(back.tensor.shape == image.tensor.shape)
            #expect(back.metadata.colorType == (name == "basn0g08" ? "gray" : "YCbCr"))
            #expect(meanAbsDifference(back.tensor, image.tensor) < 0.03)
        }
    }

    /// Our JPEG writer with its defaults must give exactly the bytes `cjpeg -quality 90` gives for the same pixels
    /// (4:2:0, islow DCT, no optimisation, JFIF APP0): the reference was made once by
    /// Fixtures/jpeg-encoder/make_cjpeg_reference.py, so the test needs no cjpeg.
    @Test func matchesLibjpegDefaultsLikeCjpeg() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let image = try ImageFile.read(Fixtures.path("pngsuite/basn2c08.png"))
        try ImageFile.write(image.tensor, to: folder.file("ours.jpg"), source: nil, options: .init(quality: 90))
        let ours = try Data(contentsOf: URL(fileURLWithPath: folder.file("ours.jpg")))
        let theirs = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("jpeg-encoder/cjpeg-q90-basn2c08.jpg")))
        #expect(ours == theirs)
    }

    @Test func alphaIsCompositedWithANotice() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        // Half-transparent black over white gives mid gray; over black stays black.
        var t = Tensor(shape: TensorShape(n: 1, c: 2, h: 8, w: 8))
        for y in 0..<8 { for x in 0..<8 { t[0, 1, y, x] = 0.5 } }
        let notices = try ImageFile.write(t, to: folder.file("w.jpg"), source: nil)
        #expect(notices == ["alpha composited onto white"])
        let white = try ImageFile.read(folder.file("w.jpg")).tensor
        #expect(white.c == 1 && abs(white[0, 0, 4, 4] - 128.0 / 255) < 2.0 / 255)
        var rgba = Tensor(shape: TensorShape(n: 1, c: 4, h: 8, w: 8), repeating: 1)
        for y in 0..<8 { for x in 0..<8 { rgba[0, 3, y, x] = 0 } }
        let black = try ImageFile.write(rgba, to: folder.file("b.jpg"), source: nil, options: .init(background: .black))
        #expect(black == ["alpha composited onto black"])
        #expect(try ImageFile.read(folder.file("b.jpg")).tensor.storage.max()! < 2.0 / 255)
    }

    @Test func qualityAndBitDepthAreChecked() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let t = Tensor(shape: TensorShape(n: 1, c: 3, h: 8, w: 8), repeating: 0.5)
        #expect(throws: ImageCodecError.self) { try ImageFile.write(t, to: folder.file("a.jpg"), source: nil, options: .init(quality: 0)) }
        #expect(throws: ImageCodecError.self) { try ImageFile.write(t, to: folder.file("a.jpg"), source: nil, options: .init(bitDepth: 16)) }
        #expect(folder.contents().isEmpty)
    }

    @Test func iccProfileRoundTrip() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let source = try ImageFile.read(Fixtures.path("jpeg/mozilla/jpg-srgb-icc.jpg"))
        let profile = try #require(source.metadata.iccProfile)
        let image = try ImageFile.read(Fixtures.path("pngsuite/basn2c08.png"))
        try ImageFile.write(image.tensor, to: folder.file("icc.jpg"), source: nil, options: .init(iccProfile: profile))
        #expect(try ImageFile.readInfo(folder.file("icc.jpg")).iccProfile == profile)
        // A large profile spans several APP2 markers.
        let big = profile + [UInt8](repeating: 7, count: 150_000)
        try ImageFile.write(image.tensor, to: folder.file("big.jpg"), source: nil, options: .init(iccProfile: big))
        #expect(try ImageFile.readInfo(folder.file("big.jpg")).iccProfile == big)
    }
}
