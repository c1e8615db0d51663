import ImageCodecs
import TensorEngine
import TensorTestSupport
import Testing
import Visualization

/// `visualize --weight --groups`: channels as blocks framed by group, the window on the chosen output channel's
/// group only, and the engine's numbers.
@Suite struct GroupedDiagramTests {
    /// (1, c, h, w) of small integers and a (cOut, c/groups, k, k) weight of small integers.
    static func tensors(c: Int, cOut: Int, groups: Int, h: Int = 5, w: Int = 6, k: Int = 3) -> (Tensor, Tensor) {
        let x = Tensor(shape: TensorShape(n: 1, c: c, h: h, w: w), storage: (0..<(c * h * w)).map { Float(($0 * 5) % 7) })
        let count = cOut * (c / groups) * k * k
        let weight = Tensor(shape: TensorShape(n: cOut, c: c / groups, h: k, w: k), storage: (0..<count).map { Float(($0 * 3) % 5 - 2) })
        return (x, weight)
    }

    @Test(arguments: [(c: 4, cOut: 6, groups: 2, o: 4), (c: 3, cOut: 3, groups: 3, o: 1), (c: 2, cOut: 4, groups: 1, o: 3),
                      (c: 6, cOut: 6, groups: 3, o: 0)])
    func blocksAreFramedByGroupAndTheWindowSitsOnTheGroupsInputs(_ c: (c: Int, cOut: Int, groups: Int, o: Int)) throws {
        let (x, weight) = Self.tensors(c: c.c, cOut: c.cOut, groups: c.groups)
        let parameters = Conv2dParameters(stride: Pair(h: 1, w: 2), padding: .explicit(Pair(1)), groups: c.groups)
        let position = GridPoint(row: 1, column: 1)
        let diagram = try GroupedConvolutionDiagram.draw(PreparedInput(data: x, isData: true), weight: weight, bias: nil,
                                                         parameters: parameters, outputChannel: c.o, position: position)
        let layout = diagram.layout
        #expect(layout.inputBlocks.count == c.c && layout.outputBlocks.count == c.cOut)
        let png = try Picture.roundTrip(diagram.image)

        // Every block's frame is its group's colour; one colour per group, all distinct.
        func frame(_ rect: PixelRect) -> Pixel { Pixel(png, x: rect.x - 2, y: rect.y + rect.height / 2) }
        for (i, rect) in layout.inputBlocks.enumerated() {
            #expect(layout.inputGroups[i] == i / (c.c / c.groups))
            #expect(frame(rect) == Pixel(layout.groupColours[layout.inputGroups[i]]), "input block \(i)")
        }
        for (o, rect) in layout.outputBlocks.enumerated() {
            #expect(layout.outputGroups[o] == o / (c.cOut / c.groups))
            #expect(frame(rect) == Pixel(layout.groupColours[layout.outputGroups[o]]), "output block \(o)")
        }
        #expect(Set(layout.groupColours.map { Pixel($0).description }).count == c.groups)
        let framesByGroup = Set((layout.inputBlocks + layout.outputBlocks).map { frame($0).description })
        #expect(framesByGroup.count == c.groups)

        // The window: pale yellow on each input channel of the output channel's group, and nowhere else.
        let group = c.o / (c.cOut / c.groups), perGroup = c.c / c.groups
        #expect(layout.receptiveFields.map(\.channel) == Array((group * perGroup)..<((group + 1) * perGroup)))
        let origin = layout.window.origin(of: position), s = layout.scale
        for (i, rect) in layout.inputBlocks.enumerated() {
            let edge = Pixel(png, x: rect.x + origin.column * s, y: rect.y + origin.row * s + s)
            #expect((edge == Pixel(GroupedConvolutionDiagram.windowColour)) == (layout.inputGroups[i] == group), "input block \(i): window edge \(edge)")
        }
        for (o, rect) in layout.outputBlocks.enumerated() {
            let edge = Pixel(png, x: rect.x + position.column * s, y: rect.y + position.row * s + s / 2)
            #expect((edge == Pixel(GroupedConvolutionDiagram.windowColour)) == (o == c.o), "output block \(o): cell edge \(edge)")
        }

        // The numbers are the engine's conv2d, and agree with the loop-by-loop reference.
        #expect(layout.output == (try conv2d(x, weight: weight, bias: nil, parameters: parameters)))
        let reference = try conv2dReference(x, weight: weight, bias: nil, parameters: parameters)
        #expect(layout.output.shape == reference.shape)
        for (a, b) in zip(layout.output.storage, reference.storage) { #expect(abs(a - b) <= 1e-4) }
        #expect(layout.caption.last!.hasSuffix(": " + NumberFormat.fitting([layout.output]).string(layout.output[0, c.o, 1, 1])))
    }

    @Test func limitsAreRefusedWithAReason() throws {
        let (x, weight) = Self.tensors(c: 4, cOut: 6, groups: 2)
        let input = PreparedInput(data: x, isData: true)
        func refusal(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        #expect(refusal { _ = try GroupedConvolutionDiagram.draw(input, weight: weight, bias: nil, parameters: Conv2dParameters(groups: 3)) } != "",
                "4 input channels in 3 groups")
        #expect(refusal { _ = try GroupedConvolutionDiagram.draw(input, weight: weight, bias: nil, parameters: Conv2dParameters(groups: 2), outputChannel: 6) }
            .contains("--out-channel 6 does not exist"))
        #expect(refusal { _ = try GroupedConvolutionDiagram.draw(input, weight: weight, bias: nil, parameters: Conv2dParameters(groups: 2),
                                                                 position: GridPoint(row: 3, column: 0)) }.contains("outside the 3×4 output"))
        #expect(refusal { _ = try GroupedConvolutionDiagram.draw(input, weight: weight, bias: nil,
                                                                 parameters: Conv2dParameters(padding: .explicit(Pair(100_000)), groups: 2)) }
            .contains("megapixels"))
        let (wide, wideWeight) = Self.tensors(c: 17, cOut: 17, groups: 17)
        #expect(refusal { _ = try GroupedConvolutionDiagram.draw(PreparedInput(data: wide, isData: true), weight: wideWeight, bias: nil,
                                                                 parameters: Conv2dParameters(groups: 17)) }.contains("at most 16"))
    }
}
