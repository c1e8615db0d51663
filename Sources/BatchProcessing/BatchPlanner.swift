import Foundation

/// Works out a `BatchPlan` from an input folder (or a file list) and an output folder, touching nothing.
///
/// The steps, in order:
/// 1. Gather inputs: scan the input folder (entering subfolders when `recursive`), or read `filesFrom`.
///    Hidden files and folders (name starts with `.`) are skipped as `.hidden`, before the patterns are
///    tried; a hidden folder counts once. `--files-from` lines get the same hidden and pattern rules.
///    The output folder, when it lies inside the input folder, is never entered; a `--files-from`
///    line inside the output folder (by folder identity, so links count) → `.insideOutputFolder`.
///    Folders reached twice (through symbolic links) are entered once. So an interrupted run's
///    temporary files (`.NAME.tmp-XXXXXX`, hidden, in the output folder) are never inputs.
/// 2. Keep what the include/exclude patterns select (see `GlobFilter`); the rest is left out silently.
/// 3. Read each input's first bytes: not PNG, JPEG or NPY → `.notAnImage`.
/// 4. Map each image to `outputRoot/relativePath`, with the extension replaced by
///    `outputFormatExtension` when one is given. An output that is an input file, or lies inside one,
///    → `.outputWouldReplaceInput`. Two or more inputs with the same output (`a.jpg`, `a.png` with
///    `--format png`) all fail as a collision: none is processed, each is reported, the run exits 1.
///    An output that is one of `filesRead` (a weight or kernel file, the file list) fails too.
/// 5. Keep only the shard's inputs (skips and unreadable ones too), so N shards report each input once.
/// 6. Unless `overwrite`, an output whose record (`OutputRecord`, in `OUT/.imgconv-recipes`) says it was made
///    by `options.recipe` from the input as it is now (same relative path, size and modification time), and
///    which is itself unchanged since, → `.upToDate`. Anything else is redone.
///
/// The report path (`reportPath`) is checked first: it must not be an input, lie inside the input folder
/// (unless inside the output folder), be an output, the file list or one of `filesRead`, or be an existing
/// file that is not a report (see `ReportEntry.looksLikeReport`).
package struct BatchPlanner: Sendable {
    package var options: BatchOptions

    package init(options: BatchOptions) {
        self.options = options
    }

    /// The plan for `inputRoot` → `outputRoot`.
    ///
    /// Throws when the run cannot start: the input folder is missing, the output is a file or the
    /// input folder itself, the file list cannot be read, or an option is out of range.
    package func plan(
        inputRoot: String,
        outputRoot: String,
        standardInput: FileList.StandardInput = FileList.readStandardInput
    ) throws(BatchError) -> BatchPlan {
        try options.validate()
        let inputStatus = FileStatus(path: inputRoot)
        let inputIsFolder = inputStatus?.kind == .directory
        let outputStatus = FileStatus(path: outputRoot)
        if let outputStatus, outputStatus.kind != .directory {
            throw BatchError.invalidOptions("The output \(outputRoot) is a file, not a folder.")
        }
        if inputIsFolder, let inputStatus, let outputStatus, inputStatus.identity == outputStatus.identity {
            throw BatchError.invalidOptions("The output folder is the input folder; choose another output folder.")
        }

        var gathered = Gathered()
        if let filesFrom = options.filesFrom {
            let lines = try FileList.paths(from: filesFrom, standardInput: standardInput)
            gatherListed(lines, base: inputIsFolder ? inputRoot : nil, outputFolder: outputStatus?.identity, into: &gathered)
        } else {
            guard let inputStatus else { throw BatchError.notFound("The input folder \(inputRoot) does not exist.") }
            guard inputStatus.kind == .directory else { throw BatchError.invalidOptions("The input \(inputRoot) is not a folder.") }
            var visited: Set<FileStatus.Identity> = [inputStatus.identity]
            scan(root: inputRoot, relativeFolder: "", excluding: outputStatus?.identity, visited: &visited, into: &gathered)
        }
        try checkReportPath(gathered, inputRoot: inputIsFolder ? inputRoot : nil, outputRoot: outputRoot)
        return finish(gathered, outputRoot: outputRoot)
    }

    /// Throws when the report would overwrite something that is not a report of ours (see the type's doc).
    private func checkReportPath(_ gathered: Gathered, inputRoot: String?, outputRoot: String) throws(BatchError) {
        guard let report = options.reportPath else { return }
        let refuse = { (why: String) -> BatchError in BatchError.invalidOptions("The report \(report) \(why); choose another report path.") }
        let absoluteReport = PathText.absolute(report)
        let reportStatus = FileStatus(path: report)
        var membership = FolderMembership(folder: inputRoot.flatMap { FileStatus(path: $0)?.identity })
        var outputMembership = FolderMembership(folder: FileStatus(path: outputRoot)?.identity)
        let insideOutput = PathText.relative(absoluteReport, to: outputRoot) != nil || outputMembership.contains(absolute: absoluteReport)
        if let inputRoot, !insideOutput,
           PathText.relative(absoluteReport, to: inputRoot) != nil || membership.contains(absolute: absoluteReport) {
            throw refuse("lies inside the input folder \(inputRoot)")
        }
        let sameFile = { (path: String) -> Bool in
            if PathText.absolute(path) == absoluteReport { return true }
            guard let reportStatus, let status = FileStatus(path: path) else { return false }
            return status.identity == reportStatus.identity
        }
        if let input = gathered.candidates.first(where: { sameFile($0.input) }) {
            throw refuse("is the input \(input.input)")
        }
        if let filesFrom = options.filesFrom, filesFrom != "-", sameFile(filesFrom) {
            throw refuse("is the file list \(filesFrom)")
        }
        if let read = options.filesRead.first(where: sameFile) {
            throw refuse("is \(read), which the command reads")
        }
        if let candidate = gathered.candidates.first(where: {
            sameFile(PathText.join(outputRoot, outputRelativePath(for: $0.relativePath)))
        }) {
            throw refuse("is the output of \(candidate.input)")
        }
        if let reportStatus {
            guard reportStatus.kind == .regularFile else { throw refuse("is not a regular file") }
            guard ReportEntry.looksLikeReport(atPath: report) else {
                throw refuse("exists and is not an imgconv report (JSON lines with path and status)")
            }
        }
    }

    /// The plan for the input files `inputFiles` (given one by one, as `imgconv blur a.jpg b.jpg c.png outdir/`)
    /// → the folder `outputRoot`, which need not exist. Each output is `outputRoot/NAME`, NAME being the
    /// input's file name (so inputs from different folders with one name collide, as the planner reports);
    /// otherwise as a `--files-from` run: hidden names, inputs inside the output folder, folders, unreadable
    /// files and non-images are skipped or failed and reported, and `--include`/`--exclude` apply to the names.
    package func plan(inputFiles: [String], outputRoot: String) throws(BatchError) -> BatchPlan {
        try options.validate()
        let outputStatus = FileStatus(path: outputRoot)
        if let outputStatus, outputStatus.kind != .directory {
            throw BatchError.invalidOptions("With several inputs the last path is the output folder, but \(outputRoot) is a file.")
        }
        var gathered = Gathered()
        gatherListed(inputFiles, base: nil, outputFolder: outputStatus?.identity, byFileName: true, into: &gathered)
        try checkReportPath(gathered, inputRoot: nil, outputRoot: outputRoot)
        return finish(gathered, outputRoot: outputRoot)
    }

    // MARK: - Gathering

    private struct Candidate {
        var input: String
        var relativePath: String
        var status: FileStatus
    }

    private struct Unreadable {
        var relativePath: String
        var failure: BatchFailure
    }

    private struct Gathered {
        var candidates: [Candidate] = []
        var skipped: [SkippedInput] = []
        var unreadable: [Unreadable] = []
    }

    private func scan(
        root: String,
        relativeFolder: String,
        excluding outputFolder: FileStatus.Identity?,
        visited: inout Set<FileStatus.Identity>,
        into gathered: inout Gathered
    ) {
        let folderPath = PathText.join(root, relativeFolder)
        let names: [String]
        do {
            names = try FolderListing.names(inFolder: folderPath)
        } catch {
            gathered.unreadable.append(Unreadable(
                relativePath: relativeFolder,
                failure: BatchFailure(path: folderPath, reason: "Cannot list the folder: \(error.description).")))
            return
        }
        let filter = options.filter
        for name in names {
            let relativePath = relativeFolder.isEmpty ? name : relativeFolder + "/" + name
            let path = PathText.join(root, relativePath)
            if name.hasPrefix(".") {
                gathered.skipped.append(SkippedInput(input: path, relativePath: relativePath, reason: .hidden))
                continue
            }
            let status: FileStatus
            do {
                status = try FileStatus.of(path)
            } catch {
                gathered.unreadable.append(Unreadable(
                    relativePath: relativePath, failure: BatchFailure(path: path, reason: error.description)))
                continue
            }
            switch status.kind {
            case .directory:
                guard options.recursive, status.identity != outputFolder,
                      filter.entersFolder(relativePath: relativePath),
                      visited.insert(status.identity).inserted
                else { continue }
                scan(root: root, relativeFolder: relativePath, excluding: outputFolder, visited: &visited, into: &gathered)
            case .regularFile, .other:
                if filter.selectsFile(relativePath: relativePath) {
                    gathered.candidates.append(Candidate(input: path, relativePath: relativePath, status: status))
                }
            }
        }
    }

    private func gatherListed(
        _ lines: [String], base: String?, outputFolder: FileStatus.Identity?, byFileName: Bool = false, into gathered: inout Gathered
    ) {
        let filter = options.filter
        var seen: Set<String> = []
        var insideOutput = FolderMembership(folder: outputFolder)
        for line in lines {
            let input = (line.hasPrefix("/") || base == nil) ? line : PathText.join(base!, line)
            let absoluteInput = PathText.absolute(input)
            guard seen.insert(absoluteInput).inserted else { continue }
            let relativePath = byFileName ? PathText.lastComponent(line) : Self.relativePath(ofListed: line, base: base)
            if GlobFilter.isHidden(relativePath: relativePath) {
                gathered.skipped.append(SkippedInput(input: input, relativePath: relativePath, reason: .hidden))
                continue
            }
            if insideOutput.contains(absolute: absoluteInput) {
                gathered.skipped.append(SkippedInput(input: input, relativePath: relativePath, reason: .insideOutputFolder))
                continue
            }
            guard filter.selectsFile(relativePath: relativePath) else { continue }
            let status: FileStatus
            do {
                status = try FileStatus.of(input)
            } catch {
                gathered.unreadable.append(Unreadable(
                    relativePath: relativePath, failure: BatchFailure(path: input, reason: error.description)))
                continue
            }
            guard status.kind != .directory else {
                gathered.unreadable.append(Unreadable(
                    relativePath: relativePath,
                    failure: BatchFailure(path: input, reason: "It is a folder; list files only.")))
                continue
            }
            gathered.candidates.append(Candidate(input: input, relativePath: relativePath, status: status))
        }
    }

    /// Where a `--files-from` line lands under the output folder: its path relative to `base` (the input
    /// folder, or the current folder when there is none) when it lies inside it, else its file name alone.
    static func relativePath(ofListed line: String, base: String?) -> String {
        if line.hasPrefix("/") {
            if let relative = PathText.relative(line, to: base ?? FileManager.default.currentDirectoryPath),
               let components = PathText.normalizedComponents(relative), !components.isEmpty {
                return components.joined(separator: "/")
            }
        } else if let components = PathText.normalizedComponents(line), !components.isEmpty {
            return components.joined(separator: "/")
        }
        return PathText.lastComponent(line)
    }

    // MARK: - Classifying and mapping

    private func finish(_ gathered: Gathered, outputRoot: String) -> BatchPlan {
        var skipped = gathered.skipped
        var unreadable = gathered.unreadable
        var items: [BatchItem] = []
        let inputPaths = Set(gathered.candidates.map { PathText.absolute($0.input) })
        let filesRead = options.filesRead + [options.filesFrom].compactMap { $0 }.filter { $0 != "-" }
        let readIdentities = Set(filesRead.compactMap { FileStatus(path: $0)?.identity })
        let readPaths = Set(filesRead.map(PathText.absolute))

        for candidate in gathered.candidates.sorted(by: { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }) {
            let size = candidate.status.size
            let kind: ImageKind?
            if candidate.status.kind == .regularFile {
                do {
                    kind = try ImageKind.detect(atPath: candidate.input)
                } catch {
                    unreadable.append(Unreadable(
                        relativePath: candidate.relativePath,
                        failure: BatchFailure(path: candidate.input, reason: error.description + ".")))
                    continue
                }
            } else {
                kind = nil // Never read a FIFO or a device: it could block or never end.
            }
            guard let kind else {
                skipped.append(SkippedInput(input: candidate.input, relativePath: candidate.relativePath,
                                            reason: .notAnImage, inputBytes: size))
                continue
            }
            let outputRelative = outputRelativePath(for: candidate.relativePath)
            let output = PathText.join(outputRoot, outputRelative)
            let absoluteOutput = PathText.absolute(output)
            if replacesInput(absoluteOutput, inputPaths: inputPaths, inputIdentity: candidate.status.identity) {
                skipped.append(SkippedInput(input: candidate.input, relativePath: candidate.relativePath,
                                            output: output, reason: .outputWouldReplaceInput, inputBytes: size))
                continue
            }
            if readPaths.contains(absoluteOutput) || FileStatus(path: output).map({ readIdentities.contains($0.identity) }) == true {
                unreadable.append(Unreadable(relativePath: candidate.relativePath, failure: BatchFailure(
                    path: candidate.input, reason: "Its output \(output) is a file the command reads; choose another output folder.")))
                continue
            }
            var item = BatchItem(input: candidate.input, output: output, relativePath: candidate.relativePath,
                                 inputBytes: size, kind: kind)
            item.inputStatus = candidate.status
            item.recordPath = OutputRecord.path(outputRoot: outputRoot, outputRelativePath: outputRelative)
            items.append(item)
        }

        // Inputs that share an output: every one of them fails, none is processed.
        let byOutput = Dictionary(grouping: items, by: { PathText.absolute($0.output) })
        let collided = byOutput.filter { $0.value.count > 1 }
        if !collided.isEmpty {
            for group in collided.values {
                for item in group {
                    let others = group.filter { $0.input != item.input }.map(\.input).joined(separator: ", ")
                    unreadable.append(Unreadable(relativePath: item.relativePath, failure: BatchFailure(
                        path: item.input,
                        reason: "Collision: \(others) has the same output \(item.output); rename one or choose another output format.")))
                }
            }
            let lost = Set(collided.values.joined().map(\.input))
            items.removeAll { lost.contains($0.input) }
        }

        if let shard = options.shard {
            items.removeAll { !shard.contains(relativePath: $0.relativePath) }
            skipped.removeAll { !shard.contains(relativePath: $0.relativePath) }
            unreadable.removeAll { !shard.contains(relativePath: $0.relativePath) }
        }

        if !options.overwrite {
            items.removeAll { item in
                guard let inputStatus = item.inputStatus, let recordPath = item.recordPath,
                      let outputStatus = FileStatus(path: item.output), outputStatus.kind == .regularFile,
                      let record = OutputRecord.read(at: recordPath),
                      record.isCurrent(recipe: options.recipe, inputRelativePath: item.relativePath,
                                       input: inputStatus, output: outputStatus)
                else { return false }
                skipped.append(SkippedInput(input: item.input, relativePath: item.relativePath, output: item.output,
                                            reason: .upToDate, inputBytes: item.inputBytes))
                return true
            }
        }

        skipped.sort { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
        unreadable.sort { $0.relativePath.utf8.lexicographicallyPrecedes($1.relativePath.utf8) }
        return BatchPlan(items: items, skipped: skipped, unreadable: unreadable.map(\.failure))
    }

    /// The output's path relative to the output folder: the input's, with the chosen extension if any.
    package func outputRelativePath(for relativePath: String) -> String {
        guard let ext = options.outputFormatExtension else { return relativePath }
        return PathText.replacingExtension(of: relativePath, with: ext)
    }

    private func replacesInput(_ absoluteOutput: String, inputPaths: Set<String>, inputIdentity: FileStatus.Identity) -> Bool {
        if inputPaths.contains(absoluteOutput) { return true }
        if PathText.ancestors(ofAbsolute: absoluteOutput).contains(where: inputPaths.contains) { return true }
        // The same file under another name (a hard link or a symbolic link in the path).
        return FileStatus(path: absoluteOutput)?.identity == inputIdentity
    }
}

/// Whether absolute paths lie inside one folder, known by its identity (device and inode), so that
/// another spelling of the folder or a symbolic link to it counts. Remembers each ancestor it looked at.
private struct FolderMembership {
    let folder: FileStatus.Identity?
    private var answers: [String: Bool] = [:]

    init(folder: FileStatus.Identity?) {
        self.folder = folder
    }

    /// True when a folder above `absolutePath` is the folder.
    mutating func contains(absolute absolutePath: String) -> Bool {
        guard let folder else { return false }
        for ancestor in PathText.ancestors(ofAbsolute: absolutePath) {
            if let known = answers[ancestor] {
                if known { return true } else { continue }
            }
            let isFolder = FileStatus(path: ancestor)?.identity == folder
            answers[ancestor] = isFolder
            if isFolder { return true }
        }
        return false
    }
}
