import TensorEngine

/// What `--verbose` prints about how a job runs: its stages from the decoder to the encoder, the barriers
/// (what must be held whole, and how much), the strip height and the largest buffer a stage holds.
package struct RowPlanDescription: Sendable, Equatable {
    package var stages: [String] = []
    package var barriers: [String] = []
    package var stripRows = 0
    /// The most Float values one stage holds at once.
    package var largestBuffer = 0

    mutating func noteBuffer(_ values: Int) { largestBuffer = max(largestBuffer, values) }

    /// The lines, e.g. `plan: decode 4000×3000×3 → step 1: blur … → encode`, `plan: strips of 32 rows, no barrier, largest buffer 1.9 MB`.
    package var lines: [String] {
        ["plan: " + (stages + ["encode"]).joined(separator: " → "),
         "plan: vector kernels \(VectorLevel.current); strips of \(stripRows) rows; largest buffer \(Self.bytes(largestBuffer * 4)); "
            + (barriers.isEmpty ? "no barrier (every stage streams)" : "barriers: " + barriers.joined(separator: "; "))]
    }

    /// `1.9 MB`, `36 MB`, `812 KB`.
    static func bytes(_ count: Int) -> String {
        let megabytes = Double(count) / 1_000_000
        if megabytes >= 10 { return "\(Int(megabytes.rounded())) MB" }
        if megabytes >= 1 { return "\((megabytes * 10).rounded() / 10) MB" }
        return "\(max(1, Int((Double(count) / 1000).rounded()))) KB"
    }
}
