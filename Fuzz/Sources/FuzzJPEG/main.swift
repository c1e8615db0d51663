import FuzzSupport

/// JPEG decoding (libjpeg behind CodecGuards, EXIF orientation, ICC, CMYK conversion).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJPEG(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzDecode.run(data, size, magic: [0xFF, 0xD8])
    return 0
}

/// The entry point SwiftPM links as `main` (see `runFuzzer`).
@_cdecl("FuzzJPEG_main")
public func main(argc: CInt, argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzJPEG)
}
