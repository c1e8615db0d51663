// swift-tools-version:6.0
import PackageDescription

// Data flows one way: file → ImageCodecs → Tensor → TensorEngine / ImageFilters → Tensor → ImageCodecs → file.
// The `imgconv` executable only parses arguments and prints; every behaviour lives in a library target.
let package = Package(
    name: "imgconv",
    products: [
        .executable(name: "imgconv", targets: ["imgconv"]),
        .library(name: "ImgConv", targets: ["ImgConv"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        // Only for `scripts/docs` (swift package generate-documentation); nothing links it.
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // System libraries, found through pkg-config.
        .systemLibrary(name: "CPNG", pkgConfig: "libpng", providers: [.apt(["libpng-dev"])]),
        .systemLibrary(name: "CJPEG", pkgConfig: "libjpeg", providers: [.apt(["libjpeg-dev"])]),
        // giflib, for `imgconv animate` (Debian's libgif-dev ships no pkg-config file under a portable name).
        .systemLibrary(name: "CGIF", providers: [.apt(["libgif-dev"])]),
        // The only C we write: setjmp guards so that libpng/libjpeg errors return instead of longjmp-ing through Swift.
        .target(name: "CodecGuards", dependencies: ["CPNG", "CJPEG"]),

        // The second C we write: the engine's hot row loops, one body compiled per x86-64 vector width (target
        // attributes inside the file, no flags here) and chosen at run time; see Sources/CKernels/include/CKernels.h.
        .target(name: "CKernels"),
        // A pthread-based lock, used instead of Synchronization.Mutex so that ThreadSanitizer understands it.
        .target(name: "Locking"),
        // Tensor, convolution, pooling, padding, output-size arithmetic; its inner row loops are CKernels'.
        .target(name: "TensorEngine", dependencies: ["CKernels", "Locking", .product(name: "RealModule", package: "swift-numerics")]),
        // PNG, JPEG and .npy files to and from tensors; atomic writes. Its 8-bit pixel conversions are CKernels'.
        .target(name: "ImageCodecs", dependencies: ["TensorEngine", "CKernels", "CodecGuards", "Locking", "FileNames"]),
        // Named filters, kernel parsers, pipelines; data plus calls into the engine.
        .target(name: "ImageFilters", dependencies: ["TensorEngine"]),
        // File → decode → filter steps → encode → file, for one file; what every filter command runs.
        .target(name: "ImagePipeline", dependencies: ["TensorEngine", "ImageCodecs", "ImageFilters", "Locking", "FileNames"]),
        // Pictures of what padding, stride and dilation do: canvases, a bitmap font, the visualize and sweep layouts.
        .target(name: "Visualization", dependencies: ["TensorEngine", "ImageFilters", "CGIF"]),
        // Folder traversal, sharding, parallel jobs, reports.
        .target(name: "BatchProcessing", dependencies: ["Locking", "FileNames"]),
        // The one module a library user imports: it re-exports the public API of the targets above.
        .target(name: "ImgConv", dependencies: ["TensorEngine", "ImageCodecs", "ImageFilters", "ImagePipeline", "BatchProcessing"]),
        // File names as their bytes (names that are not UTF-8 included), for every system call that takes a path.
        .target(name: "FileNames"),

        .executableTarget(
            name: "imgconv",
            dependencies: [
                "TensorEngine", "ImageCodecs", "ImageFilters", "ImagePipeline", "BatchProcessing", "Visualization", "FileNames",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // The README's Library example, built as written; LibraryExampleTests runs it and type-checks it as a
        // client package would see the library (public API only).
        .executableTarget(name: "GettingStarted", dependencies: ["ImgConv"], path: "Examples/GettingStarted"),

        // The comparison helpers every test target shares (one NaN-aware rule, the PyTorch tolerances).
        .target(name: "TensorTestSupport", dependencies: ["TensorEngine"], path: "Tests/TensorTestSupport"),
        .testTarget(name: "TensorEngineTests", dependencies: ["TensorEngine", "ImageCodecs", "TensorTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ImageCodecsTests", dependencies: ["ImageCodecs", "TensorEngine", "TensorTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ImageFiltersTests", dependencies: ["ImageFilters", "TensorEngine", "ImageCodecs", "TensorTestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "ImagePipelineTests", dependencies: ["ImagePipeline", "ImageFilters", "ImageCodecs", "TensorEngine", "TensorTestSupport"]),
        .testTarget(name: "BatchProcessingTests", dependencies: ["BatchProcessing", "Locking", "FileNames"]),
        .testTarget(name: "VisualizationTests", dependencies: ["Visualization", "ImageCodecs", "TensorEngine", "TensorTestSupport", "CGIF"]),
        .testTarget(name: "CLITests", dependencies: ["imgconv", "ImageCodecs", "TensorEngine", "Locking", "TensorTestSupport", "FileNames"], exclude: ["Fixtures"]),
    ]
)
