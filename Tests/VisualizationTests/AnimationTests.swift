import Foundation
import ImageFilters
import TensorEngine
import Testing
import Visualization

/// One animation of the convolution-arithmetic set (vdumoulin/conv_arithmetic) and its parameters.
struct AnimationCase: CustomTestStringConvertible, Sendable {
    var name: String
    var size: Int
    var kernel: Int
    var stride = 1
    var padding = 0
    var dilation = 1
    var operation: WindowRequest.Operation? = nil
    var mode: PaddingMode? = nil
    var testDescription: String { name }

    var rows: [[Float]] { (0..<size).map { r in (0..<size).map { c in Float((r * 3 + c * 7) % 6) } } }
    var weights: [[Float]] { (0..<kernel).map { i in (0..<kernel).map { j in Float((i + j) % 2) } } }
    var request: WindowRequest {
        let op = operation ?? .kernel(try! Kernel(weights))
        return WindowRequest(operation: op, kernelSize: Pair(kernel), stride: Pair(stride), padding: .explicit(Pair(padding)),
                             paddingMode: mode, dilation: Pair(dilation))
    }
    var outputSide: Int { (size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1 }
}

let convArithmetic: [AnimationCase] = [
    AnimationCase(name: "no padding, no strides", size: 4, kernel: 3),
    AnimationCase(name: "arbitrary padding, no strides", size: 5, kernel: 4, padding: 2),
    AnimationCase(name: "half (same) padding", size: 5, kernel: 3, padding: 1),
    AnimationCase(name: "full padding", size: 5, kernel: 3, padding: 2),
    AnimationCase(name: "no padding, strides", size: 5, kernel: 3, stride: 2),
    AnimationCase(name: "padding, strides", size: 5, kernel: 3, stride: 2, padding: 1),
    AnimationCase(name: "padding, strides (odd)", size: 6, kernel: 3, stride: 2, padding: 1),
    AnimationCase(name: "dilation", size: 7, kernel: 3, dilation: 2),
    AnimationCase(name: "reflect padding", size: 5, kernel: 3, padding: 1, mode: .reflect),
    AnimationCase(name: "max pool", size: 4, kernel: 2, stride: 2, operation: .maxPool),
    AnimationCase(name: "avg pool", size: 5, kernel: 3, stride: 1, operation: .avgPool),
]

@Test("Every frame: the window where the formula puts it, the outputs so far, the sum written", arguments: convArithmetic)
func animationFrames(_ c: AnimationCase) throws {
    let input = PreparedInput(data: Picture.grid(c.rows), isData: true)
    let op = try c.request.resolved()
    let animation = try ConvolutionAnimation.frames(input, operation: op, scale: 20)  // small frames keep the test quick
    let gif = try DecodedGIF(try GIFAnimation.encode(animation.frames, delay: 50, loops: 0))
    let n = c.outputSide
    #expect(gif.frames.count == n * n, "one frame per output position")
    #expect(gif.loops == 0 && gif.frames.allSatisfy { $0.delay == 50 })
    #expect(gif.width == animation.width && gif.height == animation.height)
    let output = try op.apply(input.data)
    let padded = try pad(input.data, padding: Padding(Pair(c.padding)), mode: c.mode ?? .zeros)
    for (i, frame) in gif.frames.enumerated() {
        let layout = animation.layouts[i], s = layout.scale
        let (r, col) = (i / n, i % n)
        #expect(layout.marks.map(\.position) == [GridPoint(row: r, column: col)])
        // The window's outline at r·stride, c·stride with extent d·(k − 1) + 1, in the first marker colour.
        let extent = (c.dilation * (c.kernel - 1) + 1) * s
        let field = PixelRect(x: layout.inputPanel.x + col * c.stride * s, y: layout.inputPanel.y + r * c.stride * s, width: extent, height: extent)
        #expect(layout.marks[0].receptiveField == field)
        for (x, y) in [(field.x, field.y), (field.maxX - 1, field.maxY - 1), (field.x + extent / 2, field.y)] {
            #expect(Pixel(frame.image, x: x, y: y) == Pixel(RGBColour.marker(0)), "frame \(i): outline at \(x),\(y)")
        }
        // Outputs after this one are still empty; this one and those before are drawn.
        for j in [0, i, i + 1, n * n - 1] where j < n * n {
            let cell = (x: layout.outputPanel.x + (j % n) * s + 1, y: layout.outputPanel.y + (j / n) * s + s - 3)
            let empty = Pixel(frame.image, x: cell.x, y: cell.y) == Pixel(RGBColour.emptyCell)
            #expect(empty == (j > i), "frame \(i): output \(j) \(j > i ? "must be empty" : "must be drawn")")
        }
        // The value written is the sum computed here, independently of the engine.
        let expected: Float
        switch c.operation {
        case .maxPool?:
            expected = (0..<c.kernel).flatMap { a in (0..<c.kernel).map { b in c.rows[r * c.stride + a][col * c.stride + b] } }.max()!
        case .avgPool?:
            expected = (0..<c.kernel).flatMap { a in (0..<c.kernel).map { b in c.rows[r * c.stride + a][col * c.stride + b] } }.reduce(0, +) / Float(c.kernel * c.kernel)
        default:
            var sum: Float = 0
            for a in 0..<c.kernel {
                for b in 0..<c.kernel { sum += padded[0, 0, r * c.stride + a * c.dilation, col * c.stride + b * c.dilation] * c.weights[a][b] }
            }
            expected = sum
        }
        #expect(abs(output[0, 0, r, col] - expected) < 1e-5)
        let format = NumberFormat.fitting([padded, output])
        let last = try #require(layout.products.last)
        #expect(last.hasSuffix("= " + format.string(expected)), "frame \(i): \(last)")
        let origin = try #require(layout.productsOrigin)
        let line = BitmapFont.lineHeight * 2
        let lastLine = PixelRect(x: origin.x, y: origin.y + (layout.products.count - 1) * line, width: origin.width, height: line)
        #expect(Picture.findText(frame.image, "= " + format.string(expected), in: lastLine, fontScale: 2), "frame \(i) shows the sum")
    }
}

@Test func gifPaletteFallsBackForManyColours() throws {
    var canvas = Canvas(width: 40, height: 40)
    for y in 0..<40 { for x in 0..<40 { canvas[x, y] = RGBColour(r: Float(x) / 39, g: Float(y) / 39, b: 0.5) } }
    let gif = try DecodedGIF(try GIFAnimation.encode([GIFAnimation.Frame(canvas), GIFAnimation.Frame(canvas)], delay: 10, loops: 3))
    #expect(gif.frames.count == 2 && gif.loops == 3)
    // Nearest of a 6-level cube: within half a step (26/255) per channel.
    let p = Pixel(gif.frames[1].image, x: 20, y: 30)
    #expect(abs(p.r - 131) <= 26 && abs(p.g - 196) <= 26 && abs(p.b - 128) <= 26)
    #expect(throws: VisualizationError.self) { try GIFAnimation.encode([], delay: 10, loops: 0) }
}
