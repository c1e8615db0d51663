import Foundation

/// The kernels behind the named filters, each as published.
public enum KernelLibrary {
    /// The 1-D Gaussian `g(i) = exp(−i² / 2σ²)` for `i = −radius … radius`, divided by its sum
    /// (OpenCV's `getGaussianKernel(2·radius + 1, σ)` and scipy's `gaussian_filter1d` weights).
    /// `radius` defaults to ⌈3σ⌉, which keeps 99.7 % of the mass; either way it is at most ``maxRadius``.
    public static func gaussian1D(sigma: Float, radius: Int? = nil) throws -> [Float] {
        guard sigma > 0, sigma.isFinite else { throw FilterError.invalidParameter(name: "sigma", reason: "must be a positive number, not \(sigma)") }
        // ⌈3σ⌉ is bounded as a Float, before it becomes an Int (σ = 1e19 would overflow the conversion).
        guard radius != nil || (3 * sigma).rounded(.up) <= Float(maxRadius) else {
            throw FilterError.invalidParameter(name: "sigma", reason: "\(sigma) needs a radius ⌈3σ⌉ above \(maxRadius): give σ ≤ \(Float(maxRadius) / 3) or a radius")
        }
        let r = radius ?? Int((3 * sigma).rounded(.up))
        guard r >= 0 else { throw FilterError.invalidParameter(name: "radius", reason: "must not be negative, not \(r)") }
        guard r <= maxRadius else { throw FilterError.invalidParameter(name: "radius", reason: "\(r) is too large (at most \(maxRadius))") }
        let twoSigmaSquared = 2 * Double(sigma) * Double(sigma)
        let weights = (-r...r).map { exp(-Double($0 * $0) / twoSigmaSquared) }
        let total = weights.reduce(0, +)
        return weights.map { Float($0 / total) }
    }

    /// The largest Gaussian radius: a kernel of 2001 × 2001 taps.
    public static let maxRadius = 1000

    /// The 2-D Gaussian, the outer product of ``gaussian1D(sigma:radius:)`` with itself (sum 1).
    public static func gaussian(sigma: Float, radius: Int? = nil) throws -> Kernel {
        let g = try gaussian1D(sigma: sigma, radius: radius)
        return try Kernel(rows: g.count, columns: g.count, values: g.flatMap { a in g.map { a * $0 } })
    }

    /// An `size × size` box of weights 1/size² (a mean filter).
    public static func box(size: Int) throws -> Kernel {
        guard size >= 1, size <= 2001 else { throw FilterError.invalidParameter(name: "box", reason: "must be between 1 and 2001, not \(size)") }
        let v = 1 / Float(size * size)
        return try Kernel(rows: size, columns: size, values: [Float](repeating: v, count: size * size))
    }

    /// A motion blur: a line `length` pixels long through the centre at `angle` degrees
    /// (counter-clockwise from the x axis), anti-aliased and normalised to sum 1. The kernel is the
    /// smallest odd square that holds the line.
    public static func motion(length: Float, angle: Float) throws -> Kernel {
        guard length >= 1, length <= 1001, length.isFinite else { throw FilterError.invalidParameter(name: "motion", reason: "length must be between 1 and 1001, not \(length)") }
        guard angle.isFinite else { throw FilterError.invalidParameter(name: "angle", reason: "must be a finite number") }
        let radius = Int(((length - 1) / 2).rounded(.up))
        let size = 2 * radius + 1
        var values = [Float](repeating: 0, count: size * size)
        let theta = Double(angle) * .pi / 180
        let dx = cos(theta), dy = -sin(theta)  // image rows grow downwards
        let half = Double(length - 1) / 2
        let steps = max(2, Int(length) * 8)
        for s in 0...steps {
            let t = -half + Double(s) / Double(steps) * 2 * half
            let x = Double(radius) + t * dx, y = Double(radius) + t * dy
            let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
            let fx = x - Double(x0), fy = y - Double(y0)
            for (yy, wy) in [(y0, 1 - fy), (y0 + 1, fy)] where yy >= 0 && yy < size {
                for (xx, wx) in [(x0, 1 - fx), (x0 + 1, fx)] where xx >= 0 && xx < size {
                    values[yy * size + xx] += Float(wx * wy)
                }
            }
        }
        return try Kernel(rows: size, columns: size, values: values).normalized()
    }

    /// The classic 3 × 3 sharpening kernel `0 −1 0; −1 5 −1; 0 −1 0` (sum 1).
    public static let sharpenClassic = try! Kernel([[0, -1, 0], [-1, 5, -1], [0, -1, 0]])

    /// The identity: one weight of 1 at the centre of a 1 × 1 kernel.
    public static let identity = try! Kernel([[1]])

    /// Derivative operators. The x kernels respond positively where brightness grows to the right;
    /// the y kernels (their transposes) where it grows downwards.
    public enum EdgeOperator: String, CaseIterable, Sendable {
        case sobel, prewitt, scharr, laplacian, laplacian8

        /// The horizontal-gradient kernel (for Laplacians, the single isotropic kernel).
        public var xKernel: Kernel {
            switch self {
            case .sobel: try! Kernel([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]])
            case .prewitt: try! Kernel([[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]])
            case .scharr: try! Kernel([[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]])
            case .laplacian: try! Kernel([[0, 1, 0], [1, -4, 1], [0, 1, 0]])
            case .laplacian8: try! Kernel([[1, 1, 1], [1, -8, 1], [1, 1, 1]])
            }
        }

        /// The vertical-gradient kernel, `xKernel` transposed (for Laplacians, the same kernel).
        public var yKernel: Kernel { isLaplacian ? xKernel : xKernel.transposed }

        /// Laplacians have no direction: x, y and magnitude are all the one kernel.
        public var isLaplacian: Bool { self == .laplacian || self == .laplacian8 }

        /// The largest gradient magnitude a 0-to-1 step edge can produce (Sobel 4, Prewitt 3, Scharr 16,
        /// Laplacian 4, Laplacian-8 8); the edge filter divides by it so a full step maps to 1.
        public var stepResponse: Float { xKernel.outputRange.upperBound }
    }

    /// An emboss kernel lit from `angle` degrees (counter-clockwise from the x axis; 135 is the top left,
    /// giving the classic `−2 −1 0; −1 1 1; 0 1 2`): weight `−√2·(dx·cos θ − dy·sin θ)` at offset (dx, dy)
    /// with y down, and 1 at the centre, so flat areas keep their value.
    public static func emboss(angle: Float) throws -> Kernel {
        guard angle.isFinite else { throw FilterError.invalidParameter(name: "angle", reason: "must be a finite number") }
        let theta = Double(angle) * .pi / 180
        var values: [Float] = []
        for dy in -1...1 {
            for dx in -1...1 {
                if dx == 0 && dy == 0 { values.append(1); continue }
                let v = -2.0.squareRoot() * (Double(dx) * cos(theta) - Double(dy) * sin(theta))
                values.append(Float((v * 1e6).rounded() / 1e6))
            }
        }
        return try Kernel(rows: 3, columns: 3, values: values)
    }
}
