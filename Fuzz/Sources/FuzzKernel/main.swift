import FuzzSupport

/// The kernel notations (rows, ImageMagick, libvips) as inline text and as file contents.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzKernel(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for fromFile in [false, true] {
        if let parsed = try? KernelParser.parse(text, fromFile: fromFile) { blackHole(parsed) }
    }
    return 0
}

/// The entry point SwiftPM links as `main` (see `runFuzzer`).
@_cdecl("FuzzKernel_main")
public func main(argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzKernel)
}
