/// The 64-bit FNV-1a hash, used where a hash must be the same in every process and on every machine.
///
/// Swift's `hashValue` is seeded per process, so it cannot decide which machine handles which file.
/// FNV-1a is fixed: start from the offset basis `0xcbf29ce484222325`; for each byte, XOR it in,
/// then multiply by the prime `0x100000001b3`, wrapping at 64 bits.
package enum FNV1a64 {
    package static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    package static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// The hash of `bytes`, in order.
    package static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash = offsetBasis
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* prime
        }
        return hash
    }

    /// The hash of the UTF-8 encoding of `string` (its bytes as stored, without Unicode normalization).
    package static func hash(_ string: String) -> UInt64 {
        hash(string.utf8)
    }
}
