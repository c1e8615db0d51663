import ArgumentParser

/// IN and OUT: two files, or two folders for a batch run.
struct FileArguments: ParsableArguments {
    @Argument(help: "Input image (PNG or JPEG, recognised by content) or .npy tensor; or a folder of them.")
    var input: String

    @Argument(help: "Output file (.png, .jpg/.jpeg or .npy: the extension picks the format); or a folder when IN is one.")
    var output: String
}
