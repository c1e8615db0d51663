import ArgumentParser
import ImageCodecs

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Show what image and .npy files hold, without decoding their pixels.",
        discussion: """
        For each file: format, width × height, channels, bit depth, EXIF orientation, whether an ICC \
        profile is present, and the tensor shape the file decodes to (after auto-orientation).

        Example:
          imgconv info samples/*.png samples/*.jpg
        """
    )

    @Argument(help: "Files to describe (- reads one from standard input).", completion: .file())
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            do {
                let input = try ImageInput(ImageSource(argument: file))
                let m = try ImageFile.readInfo(input)
                if m.format.holdsRawValues {
                    // A tensor file: its own shape, batch included, is what matters.
                    let shape = try ImageFile.read(input).tensor.shape
                    let kind = m.format == .npy ? "NPY tensor" : "text grid"
                    print("\(file): \(kind) (\(shape.n), \(shape.c), \(shape.h), \(shape.w)), values as stored")
                } else {
                    print(InfoCommand.describe(m, file: file))
                }
            } catch {
                Diagnostics.printError(Diagnostics.text(for: error))
                failed = true
            }
        }
        if failed { throw ExitCode.failure }
    }

    static func describe(_ m: ImageMetadata, file: String) -> String {
        // Width and height are as displayed (after the EXIF orientation), which is what decoding gives.
        return """
        \(file): \(m.format.rawValue.uppercased()) \(m.width)×\(m.height), \(m.channels) channel\(m.channels == 1 ? "" : "s") (\(m.colorType)), \(m.bitDepth)-bit, \
        orientation \(m.orientation), ICC profile \(m.iccProfile == nil ? "none" : "\(m.iccProfile!.count) bytes"), \
        tensor (1, \(m.channels), \(m.height), \(m.width))
        """
    }
}
