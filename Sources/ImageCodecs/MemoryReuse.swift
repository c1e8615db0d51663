import CodecGuards

/// Keeps freed image buffers in the process for the next one instead of returning them to the kernel.
///
/// By default glibc serves blocks above 128 KiB (rising to at most 32 MiB) with mmap and unmaps them on
/// free, and trims the heap when 128 KiB lie free at its top; every new buffer then faults its pages in
/// again and the kernel zeroes each one. Strips and whole images are allocated and freed over and over,
/// so that zeroing cost a third of a 12-megapixel blur. Raising the mmap threshold to its 32 MiB maximum
/// and the trim threshold to 512 MiB lets later buffers reuse the same pages.
///
/// The setting is process-wide, so the library never makes it by itself: a program opts in by calling
/// ``enable()`` once at start (the `imgconv` tool does). Freed memory then stays with the process until exit.
public enum MemoryReuse {
    private static let accepted: Bool = cg_keep_freed_memory(32 << 20, 512 << 20) == 0

    /// Makes the setting (the first call only; later calls return the first answer). Returns true when glibc
    /// accepted both thresholds, false elsewhere (other C libraries), where nothing changes.
    @discardableResult
    public static func enable() -> Bool { accepted }
}
