import ArgumentParser
import ImageCodecs

/// How input files are read: shared by every command that reads images.
struct DecodeOptionGroup: ParsableArguments {
    @Flag(name: .customLong("no-auto-orient"),
          help: "Keep the pixels as stored instead of applying the EXIF orientation tag.")
    var noAutoOrient = false

    @Flag(help: "Decode what a JPEG whose image data ends early (truncated file or cut-short scan) holds, the rest grey, instead of refusing it.")
    var allowTruncated = false

    @Option(help: ArgumentHelp("Refuse images larger than this many pixels, before decoding them (images stream, so this bounds the work a file may ask for, not memory).", valueName: "N"), transform: NumberArgument.integer)
    var maxPixels: Int = DecodeOptions().maxPixels

    var decodeOptions: DecodeOptions {
        var options = DecodeOptions()
        options.autoOrient = !noAutoOrient
        options.allowTruncated = allowTruncated
        options.maxPixels = maxPixels
        return options
    }
}
