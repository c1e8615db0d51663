import CGIF
import Foundation
import TensorEngine

/// An animated GIF decoded by giflib (DGifSlurp), frame by frame, as a viewer would show it.
struct DecodedGIF {
    var width: Int
    var height: Int
    /// Each frame's pixels, with its delay in hundredths of a second.
    var frames: [(image: PackedImage, delay: Int)]
    /// The NETSCAPE2.0 loop count, nil without the extension.
    var loops: Int?

    init(_ bytes: [UInt8]) throws {
        final class Source { var bytes: [UInt8]; var offset = 0; init(_ b: [UInt8]) { bytes = b } }
        let source = Source(bytes)
        var error: Int32 = 0
        let read: InputFunc = { gif, buffer, count in
            guard let gif, let buffer else { return 0 }
            let s = Unmanaged<Source>.fromOpaque(gif.pointee.UserData).takeUnretainedValue()
            let n = min(Int(count), s.bytes.count - s.offset)
            for i in 0..<n { buffer[i] = s.bytes[s.offset + i] }
            s.offset += n
            return Int32(n)
        }
        guard let gif = DGifOpen(Unmanaged.passUnretained(source).toOpaque(), read, &error) else {
            throw NSError(domain: "gif", code: Int(error))
        }
        defer { DGifCloseFile(gif, &error) }
        guard DGifSlurp(gif) == GIF_OK else { throw NSError(domain: "gif", code: Int(gif.pointee.Error)) }
        width = Int(gif.pointee.SWidth)
        height = Int(gif.pointee.SHeight)
        let map = gif.pointee.SColorMap!.pointee
        let colours = (0..<Int(map.ColorCount)).map { map.Colors[$0] }
        frames = []
        loops = nil
        for i in 0..<Int(gif.pointee.ImageCount) {
            let saved = gif.pointee.SavedImages[i]
            let desc = saved.ImageDesc
            precondition(desc.Left == 0 && desc.Top == 0 && Int(desc.Width) == width && Int(desc.Height) == height)
            var gcb = GraphicsControlBlock()
            _ = DGifSavedExtensionToGCB(gif, Int32(i), &gcb)
            let lookup = colours.map { UInt32($0.Red) << 16 | UInt32($0.Green) << 8 | UInt32($0.Blue) }
            let pixels = (0..<(width * height)).map { lookup[Int(saved.RasterBits[$0])] }
            frames.append((PackedImage(width: width, height: height, pixels: pixels), Int(gcb.DelayTime)))
            for e in 0..<Int(saved.ExtensionBlockCount) {
                let block = saved.ExtensionBlocks[e]
                if block.Function == APPLICATION_EXT_FUNC_CODE, block.ByteCount == 11,
                   String(bytes: UnsafeBufferPointer(start: block.Bytes, count: 11), encoding: .ascii) == "NETSCAPE2.0",
                   e + 1 < Int(saved.ExtensionBlockCount) {
                    let sub = saved.ExtensionBlocks[e + 1]
                    loops = Int(sub.Bytes[1]) | Int(sub.Bytes[2]) << 8
                }
            }
        }
    }
}

/// A decoded frame: 0xRRGGBB per pixel, row by row.
struct PackedImage: PixelSource {
    var width: Int
    var height: Int
    var pixels: [UInt32]
    func pixel(x: Int, y: Int) -> Pixel {
        let p = pixels[y * width + x]
        return Pixel(r: Int(p >> 16 & 0xFF), g: Int(p >> 8 & 0xFF), b: Int(p & 0xFF))
    }
}
