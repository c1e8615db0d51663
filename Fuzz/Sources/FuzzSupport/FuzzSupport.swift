@_exported import ImageCodecs
@_exported import ImageFilters
@_exported import TensorEngine

/// What every decoding target shares: the bytes libFuzzer hands over, prefixed with `magic` when they
/// do not already start with it (so the mutator spends its time inside one format), decoded with a
/// pixel limit small enough for libFuzzer's memory limit. A decode may throw; it must never crash.
public enum FuzzDecode {
    /// 4 megapixels: at most 64 MB of Float32 for RGBA, well under libFuzzer's default `-rss_limit_mb=2048`.
    public static let options = DecodeOptions(maxPixels: 4_000_000)

    public static func run(_ data: UnsafePointer<UInt8>?, _ size: Int, magic: [UInt8]) {
        var bytes = size > 0 ? Array(UnsafeBufferPointer(start: data, count: size)) : []
        if !bytes.starts(with: magic) { bytes = magic + bytes }
        if let image = try? ImageFile.decode(bytes: bytes, path: "fuzz", options: options) {
            // Touch every value, so that a decoder that claimed more than it wrote shows up under ASan.
            var sum: Float = 0
            image.tensor.withUnsafeBufferPointer { for v in $0 { sum += v } }
            blackHole(sum)
        }
    }
}

@inline(never) public func blackHole<T>(_ value: T) { _ = value }

/// libFuzzer's driver (LLVM ≥ 12). SwiftPM links every executable target with `main` aliased to
/// `TARGET_main`, which would hide libFuzzer's own `main`; each target therefore defines `TARGET_main`
/// and hands its arguments and its `LLVMFuzzerTestOneInput` to this driver.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

public func runFuzzer(argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?,
                      _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, callback)
}
