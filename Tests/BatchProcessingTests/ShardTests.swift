import Foundation
import Testing
@testable import BatchProcessing

@Suite struct ShardTests {
    @Test func fnv1aMatchesTheReferenceValues() {
        // Published FNV-1a 64 test vectors, and one relative path: a change here reshuffles every shard.
        #expect(FNV1a64.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(FNV1a64.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(FNV1a64.hash("foobar") == 0x8594_4171_f739_67e8)
        #expect(FNV1a64.hash("holiday/2023/beach.png") == 0xb657_e26c_ccca_0650)
        #expect(ShardSpec.shardIndex(ofRelativePath: "holiday/2023/beach.png", count: 7) == 3)
    }

    @Test func parsesKOverN() throws {
        let shard = try ShardSpec(parsing: "2/5")
        #expect(shard.index == 2 && shard.count == 5)
        #expect(shard.description == "2/5")
    }

    @Test(arguments: ["5/5", "-1/3", "1/0", "1", "a/b", "1/2/3", ""])
    func rejectsBadShards(text: String) {
        #expect(throws: BatchError.self) { try ShardSpec(parsing: text) }
    }

    @Test func badShardSaysWhy() {
        #expect(throws: BatchError.invalidOptions("The shard index must be from 0 to 3, not 4.")) { try ShardSpec(parsing: "4/4") }
        #expect(throws: BatchError.invalidOptions("A shard is written K/N, for example 0/4, not 'x'.")) { try ShardSpec(parsing: "x") }
    }

    @Test(arguments: [1, 2, 3, 5])
    func shardsAreDisjointAndCoverEverything(count: Int) throws {
        let tree = try TemporaryTree()
        for index in 0..<40 { try tree.write("in/f\(index % 3)/p\(index).png", TemporaryTree.png) }
        for index in 0..<6 { try tree.write("in/notes\(index).txt", TemporaryTree.text) }
        let all = try BatchPlanner(options: BatchOptions()).plan(inputRoot: tree.path("in"), outputRoot: tree.path("out"))

        var seenItems: [String] = []
        var seenSkips: [String] = []
        for index in 0..<count {
            let shard = try ShardSpec(index: index, count: count)
            let plan = try BatchPlanner(options: BatchOptions(shard: shard))
                .plan(inputRoot: tree.path("in"), outputRoot: tree.path("out"))
            #expect(plan.items.allSatisfy { ShardSpec.shardIndex(ofRelativePath: $0.relativePath, count: count) == index })
            seenItems += plan.items.map(\.relativePath)
            seenSkips += plan.skipped.map(\.relativePath)
        }
        #expect(seenItems.sorted() == all.items.map(\.relativePath).sorted())
        #expect(Set(seenItems).count == seenItems.count)
        #expect(seenSkips.sorted() == all.skipped.map(\.relativePath).sorted())
    }

    @Test func shardsSplitTheWork() throws {
        // With 40 names, no shard of 2 should be empty; a constant hash would put everything in one.
        let sizes = (0..<40).reduce(into: [0, 0]) { sizes, index in
            sizes[ShardSpec.shardIndex(ofRelativePath: "p\(index).png", count: 2)] += 1
        }
        #expect(sizes.allSatisfy { $0 > 5 })
    }
}
