import Foundation
import Testing
import TensorEngine
import TensorTestSupport
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

    /// The 8-bit → Float loop (CKernels' `ck_spread8`) gives exactly the table's v/255, bit for bit, at every vector
    /// level the CPU has: 1…4 channels, every width 1…70 (below, at and past the 8- and 16-pixel blocks, every tail,
    /// the overlapped last block) and wide rows, odd strides, a source one byte off alignment, every byte value in
    /// every channel (wide rows), and no float written outside the planes' rows.
    @Test func vectorDeinterleavingEqualsTheTable() {
        let sentinel = Float.nan
        for level in VectorLevel.supported {
            VectorLevel.with(level) {
                for channels in 1...4 {
                    for width in Array(1...70) + [255, 256, 259, 1000] {
                        let rows = 3, stride = width * channels + 3
                        let gap = 5, planeSize = rows * width + gap  // planes not back to back
                        // x·97 runs through every residue mod 256 over 256 consecutive x (97 is odd).
                        var bytes = [UInt8](repeating: 0xA5, count: 1 + rows * stride)
                        for y in 0..<rows { for x in 0..<width { for c in 0..<channels {
                            bytes[1 + y * stride + x * channels + c] = UInt8(truncatingIfNeeded: x &* 97 &+ c &* 31 &+ y &* 13)
                        } } }
                        var planes = [Float](repeating: sentinel, count: 1 + channels * planeSize)
                        bytes.withUnsafeBufferPointer { src in
                            planes.withUnsafeMutableBufferPointer { dst in
                                PixelConversion.deinterleave(src.baseAddress! + 1, stride: stride, rows: rows - 1, width: width, channels: channels,
                                                             into: dst.baseAddress! + 1, planeSize: planeSize, firstRow: 1)
                            }
                        }
                        var wrong: [String] = []
                        for c in 0..<channels {
                            for i in 0..<planeSize {
                                let got = planes[1 + c * planeSize + i]
                                let (y, x) = (i / width, i % width)
                                if y >= 1 && y < rows {
                                    let v = bytes[1 + (y - 1) * stride + x * channels + c]
                                    if got.bitPattern != (Float(v) / 255).bitPattern { wrong.append("y=\(y) x=\(x) c=\(c) v=\(v): \(got)") }
                                } else if !got.isNaN {
                                    wrong.append("wrote outside the rows at plane \(c) index \(i)")
                                }
                            }
                        }
                        #expect(planes[0].isNaN, "\(level) C=\(channels) W=\(width): wrote before the planes")
                        #expect(wrong.isEmpty, "\(level) C=\(channels) W=\(width): \(wrong.prefix(3))")
                    }
                }
                // The 256 byte values in one row, in every channel of 1…4: exactly Float(v)/255, also the table.
                for channels in 1...4 {
                    let bytes = (0..<(256 * channels)).map { UInt8($0 / channels) }
                    var planes = [Float](repeating: 0, count: 256 * channels)
                    bytes.withUnsafeBufferPointer { src in
                        planes.withUnsafeMutableBufferPointer { dst in
                            PixelConversion.deinterleave(src.baseAddress!, stride: 256 * channels, rows: 1, width: 256, channels: channels,
                                                         into: dst.baseAddress!, planeSize: 256, firstRow: 0)
                        }
                    }
                    let exact = (0..<(256 * channels)).allSatisfy { i in
                        planes[i].bitPattern == (Float(i % 256) / 255).bitPattern && planes[i].bitPattern == PixelConversion.unit8[i % 256].bitPattern
                    }
                    #expect(exact, "\(level) C=\(channels): v/255 for all 256 v")
                }
            }
        }
    }

    /// Hostile values for quantisation: NaN, ±∞, ±0, the largest and smallest magnitudes, values just inside and
    /// outside [0, 1], and around every rounding boundary (i + ½)/255 (the exact half, the Floats either side, and
    /// 0.49999997/255, which adding ½ then truncating gets wrong), then random values in [−0.1, 1.1].
    static let hostileSamples: [Float] = {
        var values: [Float] = [0, -0.0, 0.49999997 / 255, 0.5 / 255, 1, .nan, -.nan, .infinity, -.infinity, 1.0000001, 0.99999994,
                               .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude,
                               -.greatestFiniteMagnitude, Float(bitPattern: 0x7FA0_0000) /* signalling NaN */, 255, -1, 2]
        for i in 0...255 {
            for d: Float in [-0.5, -0.4999, 0, 0.4999, 0.5] { values.append((Float(i) + d) / 255) }
            let half = (Float(i) + 0.5) / 255
            values += [half.nextDown.nextDown, half.nextDown, half.nextUp, half.nextUp.nextUp]
            // the Floats whose product with 255 lands on either side of i + ½
            var v = half
            while v * 255 >= Float(i) + 0.5 { v = v.nextDown }
            values += [v, v.nextUp, v.nextUp.nextUp]
        }
        var generator = SplitMix64(seed: 255)
        for _ in 0..<4000 { values.append(Float(generator.next() % 1_200_001) / 1_000_000 - 0.1) }
        return values
    }()

    /// The Float → 8-bit loop (CKernels' `ck_pack8`) gives exactly the scalar ``PixelConversion/quantize8(_:)`` and
    /// counts exactly the samples outside [0, 1] (NaN included, −0 not), at every vector level the CPU has: 1…4
    /// channels, every count 0…70 (every tail of the 8-, 16- and 32-sample blocks) and long runs, planes an odd
    /// stride apart and off alignment, every hostile value in every channel, and no byte written past the run.
    @Test func vectorQuantisationEqualsTheScalarOne() {
        let values = Self.hostileSamples, n = values.count
        #expect(values.filter { !($0 >= 0 && $0 <= 1) }.count > 20 && values.contains { $0 == 0 && $0.sign == .minus })
        var reference: [String: [UInt8]] = [:]
        for level in VectorLevel.supported {
            VectorLevel.with(level) {
                var all: [UInt8] = []
                for channels in 1...4 {
                    for count in Array(0...70) + [259, 1000, n] {
                        let planeStride = count + 3
                        var planes = [Float](repeating: 0.5, count: 1 + channels * planeStride)
                        // channel c holds the samples rotated by 7·c + count: for count = n every channel holds every value
                        for c in 0..<channels { for i in 0..<count { planes[1 + c * planeStride + i] = values[(i + 7 * c + count) % n] } }
                        var out = [UInt8](repeating: 0xA5, count: 1 + count * channels + 40)
                        let outside = planes.withUnsafeBufferPointer { p in
                            out.withUnsafeMutableBufferPointer {
                                PixelConversion.interleave8(p.baseAddress! + 1, planeStride: planeStride, channels: channels, count: count,
                                                            into: $0.baseAddress! + 1)
                            }
                        }
                        var expectedOutside = 0, wrong: [String] = []
                        for i in 0..<count { for c in 0..<channels {
                            let v = planes[1 + c * planeStride + i]
                            if !(v >= 0 && v <= 1) { expectedOutside += 1 }
                            let got = out[1 + i * channels + c], want = PixelConversion.quantize8(v)
                            if got != want { wrong.append("i=\(i) c=\(c) \(v): \(got), not \(want)") }
                        } }
                        #expect(wrong.isEmpty, "\(level) C=\(channels) N=\(count): \(wrong.prefix(3))")
                        // What the writer reports in place of a clamp pass: the values outside [0, 1], NaN included.
                        #expect(outside == expectedOutside, "\(level) C=\(channels) N=\(count)")
                        #expect(out[0] == 0xA5 && out[(1 + count * channels)...].allSatisfy { $0 == 0xA5 },
                                "\(level) C=\(channels) N=\(count): wrote outside the run")
                        all += out
                    }
                }
                reference[level] = all
            }
        }
        let levels = VectorLevel.supported
        for level in levels.dropFirst() { #expect(reference[level] == reference[levels[0]], "\(level) against \(levels[0])") }
    }
}
