import Foundation
import ImageCodecs
import Testing

/// `ImageFile.decode(bytes:path:options:)` on damaged copies of the fixtures, in process: every prefix
/// length class and seeded byte flips of real PNG, JPEG and `.npy` files must give an image or an
/// ``ImageCodecError``, never a crash. A deterministic, small cousin of `scripts/fuzz`; crash inputs the
/// fuzzer finds go to Fixtures/fuzz-regressions and are decoded here too.
@Suite struct HostileBytesTests {
    static let samples = ["pngsuite/basi6a16.png", "pngsuite/s38i3p04.png", "pngsuite/tbbn3p08.png",
                          "jpeg/libjpeg-turbo/testorig.jpg", "jpeg/pillow/pil_sample_cmyk.jpg", "npy/u1_nchw.npy", "npy/f8_chw.npy"]
        .filter { FileManager.default.fileExists(atPath: Fixtures.path($0)) }

    static let small = DecodeOptions(maxPixels: 4_000_000)

    @Test func samplesAreFound() { #expect(Self.samples.count >= 4) }

    @Test func decodeBytesMatchesRead() throws {
        for name in Self.samples {
            let path = Fixtures.path(name)
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let a = try ImageFile.read(path), b = try ImageFile.decode(bytes: bytes, path: path)
            #expect(a.tensor.shape == b.tensor.shape && a.metadata == b.metadata, "\(name)")
            a.tensor.withUnsafeBufferPointer { x in b.tensor.withUnsafeBufferPointer { y in #expect(Array(x) == Array(y)) } }
        }
    }

    @Test(arguments: samples)
    func truncatedAndFlippedCopiesDoNotCrash(_ name: String) throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: Fixtures.path(name))))
        var lengths = Set([0, 1, 2, 7, 8, 9, 16, 33, 50, 64, 100, 200])
        for i in 1..<16 { lengths.insert(bytes.count * i / 16) }
        for length in lengths.sorted() where length < bytes.count {
            decode(Array(bytes.prefix(length)))
        }
        var rng = SplitMix64(seed: 7)
        for _ in 0..<150 {
            var copy = bytes
            for _ in 0..<(1 + Int(rng.next() % 4)) {
                let at = Int(rng.next() % UInt64(copy.count))
                copy[at] ^= UInt8(truncatingIfNeeded: rng.next() | 1)
            }
            decode(copy)
        }
    }

    @Test func fuzzRegressionsDoNotCrash() throws {
        let folder = Fixtures.path("fuzz-regressions")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))))
        }
    }

    /// Any outcome but a crash is fine; an error must be an ImageCodecError naming the file.
    func decode(_ bytes: [UInt8]) {
        do {
            _ = try ImageFile.decode(bytes: bytes, path: "hostile", options: Self.small)
        } catch let error as ImageCodecError {
            #expect(error.path == "hostile" && !error.reason.isEmpty)
        } catch {
            Issue.record("not an ImageCodecError: \(error)")
        }
    }
}

/// A tiny seeded generator (SplitMix64), so that the damaged copies are the same on every run.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
