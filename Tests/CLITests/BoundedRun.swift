#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// How a run of the `imgconv` binary ended, with the resources it used.
struct BoundedResult: CustomStringConvertible {
    /// The exit status when the process exited; nil when a signal ended it.
    var exitStatus: Int32?
    /// The signal that ended the process (SIGSEGV, SIGABRT, SIGILL for a Swift trap, SIGKILL ...), if any.
    var signal: Int32?
    /// The process was still running after the time bound and was killed.
    var timedOut: Bool
    /// Peak resident memory of the process, in KiB (`ru_maxrss`). An upper bound: posix_spawn's child shares
    /// the test process's memory until exec, and Linux carries that memory's peak into the child's `ru_maxrss`,
    /// so in a large test process it may be the test process's own size.
    var maxRSSKiB: Int
    /// The largest `VmHWM` of the child's own memory seen in /proc while polling it every 2 ms: a lower bound of
    /// its peak that the test process's size does not inflate (the last moments before exit can be missed).
    var polledPeakKiB: Int
    /// The test process's own `VmHWM` right after the child ended: at least what Linux may have carried into the
    /// child's `ru_maxrss`.
    var testProcessPeakKiB: Int

    /// The child's own peak memory, in KiB, as exactly as it can be known: `ru_maxrss` when it exceeds what the
    /// test process ever held (then it can only be the child's), otherwise the polled `VmHWM`.
    var peakKiB: Int { maxRSSKiB > testProcessPeakKiB ? maxRSSKiB : polledPeakKiB }
    var stdout: String
    var stderr: String

    /// The stderr lines, without empty ones.
    var stderrLines: [Substring] { stderr.split(separator: "\n") }

    var description: String {
        let end = timedOut ? "killed after the time bound" : signal.map { "signal \($0)" } ?? "exit \(exitStatus ?? -1)"
        return "\(end), \(peakKiB / 1024) MiB, stderr: \(stderr.prefix(400))"
    }
}

/// Runs the built `imgconv` (see ``CLI/executable``) with a time bound, and measures its peak memory.
///
/// `posix_spawn` + `wait4` rather than Foundation's `Process`, because `wait4` reports the child's own
/// `ru_maxrss` and tells a signal from an exit status directly. Standard output and error go to files in
/// `logFolder` (never the output folder, whose listing the tests check); standard input is /dev/null.
enum BoundedRun {
    /// `environment` is added to this process's environment (e.g. `IMGCONV_FAULT`, see `WriteFault`).
    static func run(_ arguments: [String], timeout: Double = 20, logFolder: String,
                    environment: [String: String] = [:]) throws -> BoundedResult {
        let id = UUID().uuidString
        let outPath = logFolder + "/\(id).out", errPath = logFolder + "/\(id).err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)

        let executable = CLI.executable.path
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        var variables = ProcessInfo.processInfo.environment
        variables.merge(environment) { $1 }
        let envp: [UnsafeMutablePointer<CChar>?] = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        let spawned = argv.withUnsafeBufferPointer { args in
            envp.withUnsafeBufferPointer { posix_spawn(&pid, executable, &actions, nil, args.baseAddress!, $0.baseAddress!) }
        }
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EIO) }

        var status: Int32 = 0
        var usage = rusage()
        var timedOut = false
        let deadline = Date().addingTimeInterval(timeout)
        var polledPeak = 0
        while true {
            // Only once the child runs imgconv: until its exec it shares this process's memory, whose high-water mark
            // /proc would report as the child's.
            if runsExecutable(pid, executable), let kib = highWaterMarkKiB(of: "\(pid)") { polledPeak = max(polledPeak, kib) }
            let done = wait4(pid, &status, WNOHANG, &usage)
            if done == pid { break }
            if done < 0 && errno != EINTR { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
            if Date() > deadline {
                kill(pid, SIGKILL)
                timedOut = true
                while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
                break
            }
            usleep(2_000)
        }
        defer {
            unlink(outPath)
            unlink(errPath)
        }
        let signalNumber = status & 0x7F
        return BoundedResult(
            exitStatus: signalNumber == 0 ? (status >> 8) & 0xFF : nil,
            signal: signalNumber == 0 ? nil : signalNumber,
            timedOut: timedOut,
            maxRSSKiB: usage.ru_maxrss,
            polledPeakKiB: polledPeak,
            testProcessPeakKiB: highWaterMarkKiB(of: "self") ?? Int.max,
            stdout: (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "")
    }
}

/// Whether process `pid` has exec'd `executable` (/proc/`pid`/exe names it).
private func runsExecutable(_ pid: pid_t, _ executable: String) -> Bool {
    var buffer = [CChar](repeating: 0, count: 4097)
    let count = readlink("/proc/\(pid)/exe", &buffer, buffer.count - 1)
    guard count > 0 else { return false }
    let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return target == executable || target == URL(fileURLWithPath: executable).resolvingSymlinksInPath().path
}

/// `VmHWM` of /proc/`process`/status (the peak resident memory of that process's address space), in KiB.
private func highWaterMarkKiB(of process: String) -> Int? {
    guard let text = try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
    return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
}

/// Temporary files (`.NAME.tmp-XXXXXX`, see `AtomicFile`) left in `folder`.
func temporaryFilesLeft(in folder: String) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(".") && $0.contains(".tmp-") }
}
