// swift-tools-version:6.1
import PackageDescription

// Benchmarks of the convolution engine, kept out of the main package so that its build (and CI's) stays small.
// Run with `Benchmarks/run` (or `swift package benchmark` from this folder); release builds only.
let package = Package(
    name: "imgconv-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "imgconv", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "EngineBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "ImgConv", package: "imgconv"),
            ],
            path: "Benchmarks/EngineBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
