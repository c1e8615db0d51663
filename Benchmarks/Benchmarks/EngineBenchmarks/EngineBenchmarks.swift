import Benchmark
import TensorEngine

let benchmarks: @Sendable () -> Void = {
    Benchmark("copy") { benchmark in
        blackHole(1)
    }
}
