import Foundation

/// The named kernels every kernel option accepts (`--kernel sobel-x`, `--kernel gaussian:1.5`): the fixed ones
/// `imgconv kernels` lists and the generators that take a parameter after a colon.
///
/// ``KernelParser/parse(_:fromFile:)`` resolves names first, so `conv`, `explain`, `visualize` and `kernel show`
/// all accept the same names through that one entry point.
extension KernelLibrary {
    /// The fixed kernels and one example of each generator, in the order `imgconv kernels` lists them.
    package static func catalogue() -> [(name: String, kernel: Kernel)] {
        var list: [(name: String, kernel: Kernel)] = []
        for op in EdgeOperator.allCases {
            if op.isLaplacian {
                list.append((op.rawValue, op.xKernel))
            } else {
                list.append(("\(op.rawValue)-x", op.xKernel))
                list.append(("\(op.rawValue)-y", op.yKernel))
            }
        }
        list.append(("sharpen", sharpenClassic))
        list.append(("emboss:135", try! emboss(angle: 135)))
        list.append(("identity", identity))
        list.append(("box:3", try! box(size: 3)))
        list.append(("gaussian:1", try! gaussian(sigma: 1)))
        list.append(("motion:5,0", try! motion(length: 5, angle: 0)))
        return list
    }

    /// The generators' names and what follows their colon, for messages and help.
    package static let generatorSyntax = "gaussian:SIGMA, box:N, motion:LENGTH,ANGLE, emboss[:ANGLE]"

    /// The kernel called `name` (case-insensitive, surrounding blanks ignored), nil when `name` is not a kernel
    /// name (then it is rows or another notation). A generator with a bad parameter is an error, not nil.
    package static func named(_ name: String) throws -> Kernel? {
        let spec = name.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        let parts = spec.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let argument = parts.count > 1 ? parts[1] : nil
        func number(_ text: String?, example: String) throws -> Float {
            guard let text, let v = Float(text), v.isFinite else {
                throw FilterError.invalidKernel(reason: "kernel '\(spec)' needs a finite number after the colon, e.g. \(example)")
            }
            return v
        }
        switch parts[0] {
        case "gaussian": return try gaussian(sigma: number(argument, example: "gaussian:2"))
        case "box":
            guard let n = argument.flatMap({ Int($0) }) else { throw FilterError.invalidKernel(reason: "kernel '\(spec)' needs a size, e.g. box:5") }
            return try box(size: n)
        case "motion":
            let values = (argument ?? "").split(separator: ",").compactMap { Float($0) }
            guard values.count == 2 else { throw FilterError.invalidKernel(reason: "kernel '\(spec)' needs a length and an angle, e.g. motion:9,30") }
            return try motion(length: values[0], angle: values[1])
        case "emboss": return try emboss(angle: argument == nil ? 135 : number(argument, example: "emboss:45"))
        default:
            guard argument == nil else { return nil }
            return catalogue().first { $0.name == spec }?.kernel
        }
    }
}
