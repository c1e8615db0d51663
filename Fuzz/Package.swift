// swift-tools-version:6.0
import PackageDescription

// libFuzzer targets for imgconv's parsers, kept out of the main package so that it stays clean.
// Build and run one with `scripts/fuzz TARGET SECONDS` from the repository root: it compiles with
// `-sanitize=fuzzer,address -parse-as-library`, so each target's `LLVMFuzzerTestOneInput` is driven by libFuzzer.
let package = Package(
    name: "imgconv-fuzz",
    dependencies: [.package(name: "imgconv", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "ImgConv", package: "imgconv")]),
        .executableTarget(name: "FuzzPNG", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzJPEG", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzNpy", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzKernel", dependencies: ["FuzzSupport"]),
    ]
)
