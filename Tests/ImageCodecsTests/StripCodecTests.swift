import Foundation
import Testing
import TensorEngine
@testable import ImageCodecs

@Suite struct StripCodecTests {
    @Test(arguments: ["pngsuite/PngSuite.png", "pngsuite/basi2c16.png", "pngsuite/basn0g04.png", "jpeg/mozilla/jpg-cmyk-1.jpg", "jpeg/pillow/hopper.jpg"])
    func readingInStripsGivesTheWholeImage(_ name: String) throws {
        let whole = try ImageFile.read(Fixtures.path(name), options: DecodeOptions(autoOrient: false))
        let reader = try #require(try ImageReader(Fixtures.path(name), options: DecodeOptions(autoOrient: false)))
        var strips: [Tensor] = []
        while reader.rowsRead < reader.shape.h { strips.append(try reader.read(rows: 7)) }
        #expect(try reader.finish().warnings == whole.warnings)
        #expect(reader.metadata == whole.metadata)
        var rows = 0
        for strip in strips {
            for c in 0..<strip.c { for y in 0..<strip.h { for x in 0..<strip.w {
                #expect(strip[0, c, y, x] == whole.tensor[0, c, rows + y, x])
            } } }
            rows += strip.h
        }
        #expect(rows == whole.tensor.h)
    }

    @Test(arguments: ["png", "jpg"], [1, 2, 3, 4])
    func writingInStripsGivesTheSameFile(format: String, channels: Int) throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        var image = Tensor(shape: TensorShape(n: 1, c: channels, h: 23, w: 19))
        image.withUnsafeMutableBufferPointer { v in for i in v.indices { v[i] = Float((i &* 2_654_435_761) % 1000) / 900 - 0.05 } }
        try ImageFile.write(image, to: folder.file("whole.\(format)"), source: nil)
        let writer = try ImageWriter(path: folder.file("strips.\(format)"), width: 19, height: 23, channels: channels, source: nil)
        for start in stride(from: 0, to: 23, by: 5) {
            let rows = start..<min(start + 5, 23)
            // a strip with one margin row above and below that must not be written
            let strip = Tensor(shape: TensorShape(n: 1, c: channels, h: rows.count + 2, w: 19)) { out in
                image.withUnsafeBufferPointer { src in
                    for i in out.indices { out[i] = -1 }
                    for c in 0..<channels {
                        for (k, y) in rows.enumerated() {
                            (out.baseAddress! + c * (rows.count + 2) * 19 + (k + 1) * 19).update(from: src.baseAddress! + (c * 23 + y) * 19, count: 19)
                        }
                    }
                }
            }
            try writer.append(strip, rows: 1..<(rows.count + 1))
        }
        try writer.finish(after: .noFileBeingRead)
        #expect(try AtomicFile.read(folder.file("whole.\(format)")) == AtomicFile.read(folder.file("strips.\(format)")))
    }

    @Test func everyCompressionLevelRoundTripsExactly() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let image = try ImageFile.read(Fixtures.path("pngsuite/PngSuite.png")).tensor
        for level in [0, 1, 6, 7, 9] {
            try ImageFile.write(image, to: folder.file("\(level).png"), source: nil, options: .init(compressionLevel: level))
            #expect(try ImageFile.read(folder.file("\(level).png")).tensor == image, "level \(level)")
        }
        #expect(PNGEncoder.filters(forLevel: 6) == 0x20)  // Up only at the default level (see PNGEncoder)
        #expect(PNGEncoder.strategy(forLevel: 6) == 3)  // zlib's Z_RLE
    }

    /// What lets a conversion between 8-bit files skip Float: every byte survives the round trip.
    @Test func everyByteSurvivesTheFloatRoundTrip() {
        for v in 0...255 { #expect(PixelConversion.quantize8(PixelConversion.unit8[v]) == UInt8(v)) }
    }

    /// The vector 8-bit → Float path gives exactly the table's v/255, for gray and RGB rows of every width
    /// (vector body and scalar tail), every byte value in every channel.
    @Test func vectorDeinterleavingEqualsTheTable() {
        for channels in [1, 2, 3, 4] {
            for width in [1, 8, 9, 17, 100, 259] {
                let rows = 2, stride = width * channels + 5
                let bytes = (0..<(rows * stride)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 / 256) }
                var planes = [Float](repeating: -1, count: channels * rows * width)
                bytes.withUnsafeBufferPointer { src in
                    planes.withUnsafeMutableBufferPointer { dst in
                        PixelConversion.deinterleave(src.baseAddress!, stride: stride, rows: rows, width: width, channels: channels,
                                                     into: dst.baseAddress!, planeSize: rows * width, firstRow: 0)
                    }
                }
                for y in 0..<rows { for x in 0..<width { for c in 0..<channels {
                    let v = bytes[y * stride + x * channels + c]
                    #expect(planes[c * rows * width + y * width + x] == Float(v) / 255, "C=\(channels) W=\(width) v=\(v)")
                } } }
            }
        }
        let all = SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7)
        for base in Swift.stride(from: 0, to: 256, by: 8) {
            let got = PixelConversion.unit8(all &+ UInt32(base))
            for k in 0..<8 { #expect(got[k] == Float(base + k) / 255, "v=\(base + k)") }
        }
    }

    @Test func vectorQuantisationEqualsTheScalarOne() {
        var values: [Float] = [0, 0.49999997 / 255, 0.5 / 255, 1, -0.0, .nan, -.infinity, .infinity, 1.0000001, 0.99999994]
        for i in 0...255 { for d: Float in [-0.5, -0.4999, 0, 0.4999, 0.5] { values.append((Float(i) + d) / 255) } }
        for channels in 1...4 {
            let count = values.count / channels
            var out = [UInt8](repeating: 0, count: count * channels)
            let clamped = values.withUnsafeBufferPointer { planes in
                out.withUnsafeMutableBufferPointer {
                    PixelConversion.interleave8(planes.baseAddress!, planeStride: count, channels: channels, count: count, into: $0.baseAddress!)
                }
            }
            // What the writer reports in place of a clamp pass: the values outside [0, 1], NaN included.
            #expect(clamped == values[0..<(count * channels)].filter { !($0 >= 0 && $0 <= 1) }.count, "C=\(channels)")
            for i in 0..<count { for c in 0..<channels {
                #expect(out[i * channels + c] == PixelConversion.quantize8(values[c * count + i]), "\(values[c * count + i])")
            } }
        }
    }
}
