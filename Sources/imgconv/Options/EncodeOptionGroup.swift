import ArgumentParser
import Foundation
import ImageCodecs

/// How output files are written: shared by every command that writes images.
struct EncodeOptionGroup: ParsableArguments {
    @Option(help: ArgumentHelp("JPEG quality, 1–100.", valueName: "Q"), transform: NumberArgument.integer)
    var quality: Int = 90

    @Option(help: ArgumentHelp("PNG bit depth, 8 or 16 (default: 16 when the input was a 16-bit PNG, else 8).", valueName: "8|16"), transform: NumberArgument.integer)
    var depth: Int?

    @Option(help: ArgumentHelp("PNG zlib compression level, 0 (none, fastest) to 9 (smallest) (default: 6). Levels 1–6 write every row with the Up filter and zlib's run-length strategy (fast; the same file at each of these levels); 7–9 let libpng try all five filters per row with full deflate (smallest, much slower). Pixels are the same at every level.", valueName: "0-9"), transform: NumberArgument.integer)
    var compression: Int?

    @Option(help: ArgumentHelp("Colour that transparent pixels are composited onto when writing a JPEG: white, black or R,G,B in 0–255.", valueName: "COLOR"))
    var background: String = "white"

    @Flag(help: "Do not carry the input's EXIF and XMP metadata into the output (by default they are, with the EXIF orientation set to 1 once the pixels are turned upright). The ICC profile is kept either way.")
    var strip = false

    func validate() throws {
        guard (1...100).contains(quality) else { throw ValidationError("--quality must be between 1 and 100, not \(quality).") }
        if let depth, depth != 8 && depth != 16 { throw ValidationError("--depth must be 8 or 16, not \(depth).") }
        if let compression, !(0...9).contains(compression) { throw ValidationError("--compression must be between 0 and 9, not \(compression).") }
        _ = try parsedBackground()
    }

    func parsedBackground() throws -> RGBColor {
        switch background.lowercased() {
        case "white": return .white
        case "black": return .black
        default:
            let parts = background.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard parts.count == 3, let r = parts[0], let g = parts[1], let b = parts[2],
                  [r, g, b].allSatisfy({ (0...255).contains($0) }) else {
                throw ValidationError("--background must be white, black or R,G,B with each in 0–255, not '\(background)'.")
            }
            return RGBColor(r: Float(r) / 255, g: Float(g) / 255, b: Float(b) / 255)
        }
    }

    func encodeOptions() throws -> EncodeOptions {
        var options = EncodeOptions()
        options.quality = quality
        options.bitDepth = depth
        options.compressionLevel = compression
        options.background = try parsedBackground()
        options.stripMetadata = strip
        return options
    }
}
