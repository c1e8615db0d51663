import ArgumentParser
import ImageCodecs

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Decode an image or .npy file and write it in the format its output name asks for.",
        discussion: """
        The input format is recognised by its first bytes, the output format by the output's extension \
        (.png, .jpg/.jpeg, .npy). Pixels go through the same Float32 tensor every filter uses, so \
        `convert` shows what decoding and encoding alone do: PNG → PNG is bit-exact, 16-bit PNGs stay \
        16-bit unless --depth 8 is given, and the ICC profile is carried over.

        Examples:
          imgconv convert photo.jpg photo.png
          imgconv convert scan16.png scan8.png --depth 8
          imgconv convert picture.png tensor.npy
          imgconv convert photos/ pngs/ --format png        (a whole folder)
        """
    )

    @OptionGroup var files: FileArguments
    @OptionGroup var runOptions: RunOptions

    func run() throws { try runOptions.execute(steps: [], files: files.operands) }
}
