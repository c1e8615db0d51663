import ArgumentParser
import TensorEngine

struct ShapeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shape",
        abstract: "Print the output size of a convolution or pooling, or of a small network layer by layer.",
        discussion: """
        H_out = ⌊(H + pad_top + pad_bottom − d·(k − 1) − 1)/s⌋ + 1, and the same for W (⌈…⌉ for pooling \
        with --ceil-mode). When the dilation is 1 the lesson's form (N − F + 2P)/S + 1 is printed too, with \
        the quotient before it is rounded down. Impossible configurations are refused with PyTorch's reasons.

        With LAYER arguments, a table like torchinfo's summary: each layer as PyTorch prints it, its output \
        shape (N, C, H, W), its parameter count (weights C_out·C_in/groups·kH·kW plus C_out biases; 0 for \
        pooling) and its formulas, then the totals. A layer is "conv", "maxpool" or "avgpool" followed by \
        options: conv --out-channels C (default: the input's) --kernel-size K --stride S --padding P|same|valid \
        --dilation D --groups G --no-bias; maxpool --kernel-size K --stride S --padding P --dilation D \
        --ceil-mode; avgpool --kernel-size K --stride S --padding P --ceil-mode. Pooling's stride defaults to \
        its window, as in PyTorch.

        --input takes N (a square N×N plane), H,W, C,H,W or N,C,H,W; missing batch and channel counts are 1.

        Examples:
          imgconv shape --input 227,227 --kernel-size 11 --stride 4          → 55×55
          imgconv shape --input 64 --kernel-size 7 --stride 2                → (64 − 7 + 0)/2 + 1 = 28.5 + 1 → 29
          imgconv shape --input 32,64 --kernel-size 5                        → 28×60
          imgconv shape --input 28,28 --kernel-size 2 --pool max             → 14×14
          imgconv shape --input 64,32 --kernel-size 3 --padding same         → 64×32
          imgconv shape --input 1,1,28,28 "conv --out-channels 5 --kernel-size 5" "maxpool --kernel-size 2"
          imgconv shape --input 3,32,32 "conv --out-channels 6 --kernel-size 5" "maxpool --kernel-size 2" "conv --out-channels 16 --kernel-size 5" "maxpool --kernel-size 2"
        """
    )

    @Argument(help: ArgumentHelp("Layers, each one quoted word list: \"conv --out-channels 5 --kernel-size 5\", \"maxpool --kernel-size 2\", \"avgpool --kernel-size 2\".", valueName: "LAYER"))
    var layers: [String] = []

    @Option(help: ArgumentHelp("Input size: N (square), H,W, C,H,W or N,C,H,W.", valueName: "SHAPE"))
    var input: InputShape

    @Option(help: ArgumentHelp("Kernel or window size: N or H,W (single layer).", valueName: "K"))
    var kernelSize: Pair = Pair(1)

    @Option(help: ArgumentHelp("Stride (default 1 for convolution, the window size for pooling).", valueName: "S"))
    var stride: Pair?

    @Option(help: ArgumentHelp("N, H,W, or for convolution same / valid.", valueName: "P"))
    var padding: PaddingSpec = .explicit(Pair(0))

    @Option(help: ArgumentHelp(GeometryHelp.dilation, valueName: "D"))
    var dilation: Pair = Pair(1)

    @Option(help: ArgumentHelp("Pooling instead of convolution: max or avg.", valueName: "max|avg"), completion: .list(["max", "avg"]))
    var pool: String?

    @Flag(help: "Pooling only: round the output size up (PyTorch's ceil_mode).")
    var ceilMode = false

    func validate() throws {
        if let pool, pool != "max" && pool != "avg" { throw ValidationError("--pool takes max or avg, not '\(pool)'.") }
        if ceilMode && pool == nil && layers.isEmpty { throw ValidationError("--ceil-mode applies to pooling; add --pool max or --pool avg.") }
        if pool == "avg" && dilation != Pair(1) { throw ValidationError("Average pooling has no dilation (PyTorch's AvgPool2d takes none).") }
        if !layers.isEmpty && (pool != nil || ceilMode || stride != nil || kernelSize != Pair(1) || dilation != Pair(1) || padding != .explicit(Pair(0))) {
            throw ValidationError("With LAYER arguments, give each layer's options inside its quotes; only --input goes outside.")
        }
        _ = try layers.map(LayerArguments.spec(parsing:))
    }

    func run() throws {
        if !layers.isEmpty { return try printTable() }
        let layer: LayerSpec
        if let pool {
            guard case .explicit(let p) = padding else {
                throw ValidationError("Pooling takes a number for --padding, not \(padding).")
            }
            layer = pool == "max"
                ? .maxPool(kernel: kernelSize, stride: stride, padding: p, dilation: dilation, ceilMode: ceilMode)
                : .avgPool(kernel: kernelSize, stride: stride, padding: p, ceilMode: ceilMode)
        } else {
            layer = .conv(outChannels: nil, kernel: kernelSize, stride: stride ?? Pair(1), padding: padding, dilation: dilation)
        }
        try Diagnostics.validatingOptions {
            let row = try LayerTable(input: input.shape, layers: [layer]).rows[0]
            print("rows:    \(row.rowsFormula)")
            if let lesson = row.rowsLesson { print("         \(lesson)") }
            print("columns: \(row.columnsFormula)")
            if let lesson = row.columnsLesson { print("         \(lesson)") }
            print("\(row.input.h)×\(row.input.w) → \(row.output.h)×\(row.output.w)")
        }
    }

    private func printTable() throws {
        let specs = try layers.map(LayerArguments.spec(parsing:))
        try Diagnostics.validatingOptions {
            let table = try LayerTable(input: input.shape, layers: specs)
            print(ShapeTableText.render(table))
        }
    }
}

/// `N`, `H,W`, `C,H,W` or `N,C,H,W` for `shape --input`; a single number is a square plane (like every size option).
struct InputShape: ExpressibleByArgument {
    var shape: TensorShape

    init?(argument: String) {
        let parts = argument.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...4).contains(parts.count), parts.allSatisfy({ ($0 ?? 0) >= 1 && $0! <= Pair.maxParsedValue }) else { return nil }
        let v = parts.map { $0! }
        switch v.count {
        case 1: shape = TensorShape(n: 1, c: 1, h: v[0], w: v[0])
        case 2: shape = TensorShape(n: 1, c: 1, h: v[0], w: v[1])
        case 3: shape = TensorShape(n: 1, c: v[0], h: v[1], w: v[2])
        default: shape = TensorShape(n: v[0], c: v[1], h: v[2], w: v[3])
        }
    }
}

/// One LAYER argument of `shape`: its first word names the layer, the rest are that layer's options.
struct LayerArguments: ParsableArguments {
    @Option var outChannels: Int?
    @Option var kernelSize: Pair?
    @Option var stride: Pair?
    @Option var padding: PaddingSpec?
    @Option var dilation: Pair?
    @Option var groups: Int?
    @Flag var noBias = false
    @Flag var ceilMode = false

    static let kinds = ["conv", "maxpool", "avgpool"]

    static func spec(parsing text: String) throws -> LayerSpec {
        let words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        guard let kind = words.first, kinds.contains(kind) else {
            throw ValidationError("Layer '\(text)' must start with \(kinds.joined(separator: ", ")).")
        }
        let o: LayerArguments
        do {
            o = try parse(Array(words.dropFirst()))
        } catch {
            throw ValidationError("Layer '\(text)': \(message(for: error))")
        }
        guard let k = o.kernelSize else { throw ValidationError("Layer '\(text)' needs --kernel-size.") }
        func refuse(_ options: [(String, Bool)]) throws {
            if let bad = options.first(where: \.1) { throw ValidationError("Layer '\(text)': \(kind) takes no \(bad.0).") }
        }
        switch kind {
        case "conv":
            try refuse([("--ceil-mode", o.ceilMode)])
            if let c = o.outChannels, c < 1 { throw ValidationError("Layer '\(text)': --out-channels must be at least 1.") }
            return .conv(outChannels: o.outChannels, kernel: k, stride: o.stride ?? Pair(1), padding: o.padding ?? .explicit(Pair(0)),
                         dilation: o.dilation ?? Pair(1), groups: o.groups ?? 1, bias: !o.noBias)
        default:
            try refuse([("--out-channels", o.outChannels != nil), ("--groups", o.groups != nil), ("--no-bias", o.noBias),
                        ("--dilation", kind == "avgpool" && o.dilation != nil)])
            let p: Pair
            switch o.padding ?? .explicit(Pair(0)) {
            case .explicit(let pair): p = pair
            case .valid: p = Pair(0)
            default: throw ValidationError("Layer '\(text)': pooling takes a number for --padding.")
            }
            return kind == "maxpool"
                ? .maxPool(kernel: k, stride: o.stride, padding: p, dilation: o.dilation ?? Pair(1), ceilMode: o.ceilMode)
                : .avgPool(kernel: k, stride: o.stride, padding: p, ceilMode: o.ceilMode)
        }
    }
}

/// The layer table as text: one line per layer (name, output shape, parameters) with its formulas under it.
enum ShapeTableText {
    static func render(_ table: LayerTable) -> String {
        func shape(_ s: TensorShape) -> String { "(\(s.n), \(s.c), \(s.h), \(s.w))" }
        let names = ["Input"] + table.rows.map(\.name)
        let shapes = [shape(table.input)] + table.rows.map { shape($0.output) }
        let params = ["–"] + table.rows.map { grouped($0.parameters) }
        let nameWidth = max(names.map(\.count).max()!, 5), shapeWidth = max(shapes.map(\.count).max()!, 22)
        let paramWidth = max(params.map(\.count).max()!, 7)
        func line(_ a: String, _ b: String, _ c: String) -> String {
            a.padding(toLength: nameWidth, withPad: " ", startingAt: 0) + "   " + b.padding(toLength: shapeWidth, withPad: " ", startingAt: 0)
                + "   " + String(repeating: " ", count: paramWidth - c.count) + c
        }
        let rule = String(repeating: "─", count: nameWidth + shapeWidth + paramWidth + 6)
        var lines = [line("Layer", "Output shape (N,C,H,W)", "Param #"), rule, line(names[0], shapes[0], params[0])]
        for (i, row) in table.rows.enumerated() {
            lines.append(line(names[i + 1], shapes[i + 1], params[i + 1]))
            if row.rowsFormula == row.columnsFormula {
                lines.append("    H, W: \(row.rowsFormula)" + (row.rowsLesson.map { "    \($0)" } ?? ""))
            } else {
                lines.append("    H:    \(row.rowsFormula)" + (row.rowsLesson.map { "    \($0)" } ?? ""))
                lines.append("    W:    \(row.columnsFormula)" + (row.columnsLesson.map { "    \($0)" } ?? ""))
            }
        }
        lines.append(rule)
        let out = table.output
        lines.append("Total params: \(grouped(table.totalParameters))")
        lines.append("Input: \(shape(table.input)) = \(grouped(table.input.count)) values; output: \(shape(out)) = \(grouped(out.count)) values")
        return lines.joined(separator: "\n")
    }

    /// 61706 → "61,706", as torchinfo writes counts.
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return out
    }
}
