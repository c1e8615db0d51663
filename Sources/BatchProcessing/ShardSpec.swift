/// One shard out of `count`: `--shard K/N` keeps the inputs whose shard index is `index`.
///
/// An input's shard index is `FNV1a64.hash(relativePath) % count`, where `relativePath` is the
/// input's path relative to the input folder, with `/` separators (see `BatchItem.relativePath`).
/// So N machines given `0/N`, `1/N`, … `(N-1)/N` over the same folder handle every input exactly once,
/// whatever the order in which each machine lists the files.
public struct ShardSpec: Sendable, Hashable, CustomStringConvertible {
    /// Which shard this is, `0 ..< count`.
    public let index: Int
    /// How many shards the work is split into, at least 1.
    public let count: Int

    /// A shard; throws unless `0 <= index < count`.
    public init(index: Int, count: Int) throws(BatchError) {
        guard count >= 1 else { throw BatchError.invalidOptions("The shard count must be at least 1.") }
        guard (0..<count).contains(index) else {
            throw BatchError.invalidOptions("The shard index must be from 0 to \(count - 1), not \(index).")
        }
        self.index = index
        self.count = count
    }

    /// Parses `"K/N"`, for example `"0/4"`.
    public init(parsing text: String) throws(BatchError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]) else {
            throw BatchError.invalidOptions("A shard is written K/N, for example 0/4, not '\(text)'.")
        }
        // As every number on the command line: at most 2^31 - 1.
        guard count <= Int(Int32.max) else {
            throw BatchError.invalidOptions("A shard count N must be at most \(Int32.max), not \(count).")
        }
        try self.init(index: index, count: count)
    }

    /// The shard that `relativePath` belongs to.
    public static func shardIndex(ofRelativePath relativePath: String, count: Int) -> Int {
        Int(FNV1a64.hash(relativePath) % UInt64(count))
    }

    /// Whether the input at `relativePath` belongs to this shard.
    public func contains(relativePath: String) -> Bool {
        Self.shardIndex(ofRelativePath: relativePath, count: count) == index
    }

    public var description: String { "\(index)/\(count)" }
}
