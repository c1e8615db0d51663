import ArgumentParser
import ImageCodecs

/// `imgconv version`: the same line as `imgconv --version`.
struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print imgconv's version (as --version does)."
    )

    static var line: String { "imgconv \(ImgConvVersion.current)" }

    func run() throws { print(Self.line) }
}
