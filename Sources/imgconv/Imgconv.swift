import ArgumentParser

@main
struct Imgconv: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "imgconv",
        abstract: "Filter PNG and JPEG images with convolution and pooling, exactly as PyTorch computes them.",
        subcommands: []
    )
}
