import CGIF

/// Frames of one size written as an animated GIF (GIF89a) through giflib: one global palette, each frame
/// shown for `delay` hundredths of a second, looping `loops` times (0 = for ever, the NETSCAPE2.0 extension).
///
/// The palette holds the frames' exact colours when there are at most 256 of them (diagrams have a few dozen
/// greys plus the marker colours), else a fixed palette of a 6×6×6 colour cube and 40 greys, each pixel
/// mapped to the nearest entry.
package enum GIFAnimation {
    /// One frame: `width × height` pixels, 0xRRGGBB each, row by row.
    package struct Frame: Sendable {
        package var width: Int
        package var height: Int
        package var pixels: [UInt32]

        /// A (1, 3, h, w) picture in [0, 1], rounded to 8 bits.
        package init(_ image: Canvas) {
            width = image.width
            height = image.height
            pixels = image.packedRGB()
        }

        /// This frame at the top-left of a `width × height` frame filled with `background` (0xRRGGBB).
        package func padded(width newWidth: Int, height newHeight: Int, with background: UInt32) -> Frame {
            guard newWidth != width || newHeight != height else { return self }
            var out = Frame(width: newWidth, height: newHeight, pixels: [UInt32](repeating: background, count: newWidth * newHeight))
            for y in 0..<min(height, newHeight) {
                for x in 0..<min(width, newWidth) { out.pixels[y * newWidth + x] = pixels[y * width + x] }
            }
            return out
        }

        init(width: Int, height: Int, pixels: [UInt32]) {
            self.width = width
            self.height = height
            self.pixels = pixels
        }
    }

    package static func encode(_ frames: [Frame], delay: Int, loops: Int) throws -> [UInt8] {
        guard let first = frames.first else { throw VisualizationError("an animation needs at least one frame") }
        guard frames.allSatisfy({ $0.width == first.width && $0.height == first.height }) else {
            throw VisualizationError("every frame of an animation must have the same size")
        }
        guard first.width <= 65535, first.height <= 65535 else {
            throw VisualizationError("a GIF is at most 65535×65535 pixels, not \(first.width)×\(first.height)")
        }
        guard (0...65535).contains(delay), (0...65535).contains(loops) else {
            throw VisualizationError("GIF delays and loop counts are 0…65535")
        }
        let (palette, index) = self.palette(frames)

        final class Sink { var bytes: [UInt8] = [] }
        let sink = Sink()
        var error: Int32 = 0
        let write: OutputFunc = { gif, data, count in
            guard let gif, let data, count > 0 else { return 0 }
            let sink = Unmanaged<Sink>.fromOpaque(gif.pointee.UserData).takeUnretainedValue()
            sink.bytes.append(contentsOf: UnsafeBufferPointer(start: data, count: Int(count)))
            return count
        }
        guard let gif = EGifOpen(Unmanaged.passUnretained(sink).toOpaque(), write, &error) else {
            throw VisualizationError("giflib could not start a GIF (error \(error))")
        }
        var closed = false
        defer { if !closed { EGifCloseFile(gif, &error) } }
        func check(_ status: Int32, _ what: String) throws {
            guard status == GIF_OK else {
                let message = GifErrorString(gif.pointee.Error).map { String(cString: $0) } ?? "error \(gif.pointee.Error)"
                throw VisualizationError("giflib: \(what): \(message)")
            }
        }
        var colours = palette.map { GifColorType(Red: UInt8($0 >> 16 & 0xFF), Green: UInt8($0 >> 8 & 0xFF), Blue: UInt8($0 & 0xFF)) }
        while colours.count < 256 { colours.append(GifColorType(Red: 0, Green: 0, Blue: 0)) }
        guard let map = GifMakeMapObject(256, &colours) else { throw VisualizationError("giflib: no memory for a palette") }
        defer { GifFreeMapObject(map) }
        EGifSetGifVersion(gif, true)
        try check(EGifPutScreenDesc(gif, Int32(first.width), Int32(first.height), 8, 0, map), "screen")
        // NETSCAPE2.0: sub-block 1, loop count (little-endian).
        try check(EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE), "loop extension")
        var netscape = Array("NETSCAPE2.0".utf8)
        try check(EGifPutExtensionBlock(gif, 11, &netscape), "loop extension")
        var loopBlock: [UInt8] = [1, UInt8(loops & 0xFF), UInt8(loops >> 8)]
        try check(EGifPutExtensionBlock(gif, 3, &loopBlock), "loop extension")
        try check(EGifPutExtensionTrailer(gif), "loop extension")

        var row = [GifPixelType](repeating: 0, count: first.width)
        for frame in frames {
            var gcb = GraphicsControlBlock(DisposalMode: DISPOSE_DO_NOT, UserInputFlag: false, DelayTime: Int32(delay),
                                           TransparentColor: NO_TRANSPARENT_COLOR)
            var extensionBytes = [GifByteType](repeating: 0, count: 4)
            _ = EGifGCBToExtension(&gcb, &extensionBytes)
            try check(EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, 4, &extensionBytes), "frame delay")
            try check(EGifPutImageDesc(gif, 0, 0, Int32(frame.width), Int32(frame.height), false, nil), "frame")
            for y in 0..<frame.height {
                for x in 0..<frame.width { row[x] = index(frame.pixels[y * frame.width + x]) }
                try check(EGifPutLine(gif, &row, Int32(frame.width)), "frame row")
            }
        }
        closed = true
        guard EGifCloseFile(gif, &error) == GIF_OK else { throw VisualizationError("giflib: closing the GIF failed (error \(error))") }
        return sink.bytes
    }

    /// The palette and the pixel → entry mapping described above.
    static func palette(_ frames: [Frame]) -> ([UInt32], (UInt32) -> UInt8) {
        var seen: [UInt32: UInt8] = [:]
        var exact = true
        outer: for frame in frames {
            for p in frame.pixels where seen[p] == nil {
                guard seen.count < 256 else { exact = false; break outer }
                seen[p] = UInt8(seen.count)
            }
        }
        if exact {
            let palette = seen.sorted { $0.value < $1.value }.map(\.key)
            return (palette, { seen[$0]! })
        }
        let levels: [UInt32] = [0, 51, 102, 153, 204, 255]
        var palette: [UInt32] = []
        for r in levels { for g in levels { for b in levels { palette.append(r << 16 | g << 8 | b) } } }
        for i in 0..<40 { let v = UInt32((i * 255 + 20) / 39); palette.append(v << 16 | v << 8 | v) }
        return (palette, { p in
            let r = Int(p >> 16 & 0xFF), g = Int(p >> 8 & 0xFF), b = Int(p & 0xFF)
            if max(r, g, b) - min(r, g, b) < 12 { return UInt8(216 + min(39, ((r + g + b) / 3 * 39 + 127) / 255)) }
            func level(_ v: Int) -> Int { (v + 25) / 51 }
            return UInt8(level(r) * 36 + level(g) * 6 + level(b))
        })
    }
}

extension Canvas {
    /// Every pixel as 0xRRGGBB, rounded to 8 bits, row by row.
    package func packedRGB() -> [UInt32] {
        let t = tensor, plane = width * height
        return t.withUnsafeBufferPointer { p in
            var out = [UInt32](repeating: 0, count: plane)
            for i in 0..<plane {
                let r = UInt32((min(max(p[i], 0), 1) * 255).rounded())
                let g = UInt32((min(max(p[plane + i], 0), 1) * 255).rounded())
                let b = UInt32((min(max(p[2 * plane + i], 0), 1) * 255).rounded())
                out[i] = r << 16 | g << 8 | b
            }
            return out
        }
    }
}
