import Foundation
import ImageFilters
import TensorEngine
import Testing

/// Morphology and median filters against OpenCV 4.6 (issue 18): `Fixtures/make_morphology_reference.py` ran
/// cv2.dilate, cv2.erode, cv2.morphologyEx and cv2.medianBlur (3, 5, 7, 15) on two small 8-bit images; every 8-bit sample of
/// ``MorphologyFilter`` (on v/255, written back as round(255·y) clamped to 0…255, as the 8-bit writer does) must be OpenCV's.
@Suite struct MorphologyReferenceTests {
    struct Reference: Decodable {
        struct Input: Decodable { let shape: [Int]; let values: [Int] }
        struct Case: Decodable {
            let op: String, input: String, shape: String, size: [Int], element: [[Int]], iterations: Int, border: String, output: [Int]
        }
        let opencv: String
        let inputs: [String: Input]
        let cases: [Case]
    }

    static let reference: Reference = {
        let url = Bundle.module.url(forResource: "Fixtures/morphology_reference.json", withExtension: nil)!
        return try! JSONDecoder().decode(Reference.self, from: Data(contentsOf: url))
    }()

    /// HWC 8-bit samples as a (1, C, H, W) tensor of v/255.
    static func tensor(_ input: Reference.Input) -> Tensor {
        let (h, w, c) = (input.shape[0], input.shape[1], input.shape[2])
        var t = Tensor(shape: TensorShape(n: 1, c: c, h: h, w: w))
        for y in 0..<h { for x in 0..<w { for ch in 0..<c { t[0, ch, y, x] = Float(input.values[(y * w + x) * c + ch]) / 255 } } }
        return t
    }

    @Test func theFixtureHoldsEveryOperation() {
        #expect(Self.reference.cases.count == 111)
        #expect(Set(Self.reference.cases.map(\.op)) == ["dilate", "erode", "open", "close", "gradient", "tophat", "blackhat", "median"])
        // medianBlur 7 and 15 run the running histogram (more taps than the selection network takes), 3 and 5 the network.
        #expect(Set(Self.reference.cases.filter { $0.op == "median" }.map(\.size)) == [[3, 3], [5, 5], [7, 7], [15, 15]])
    }

    @Test(arguments: 0..<111)
    func equalsOpenCV(_ index: Int) throws {
        let c = Self.reference.cases[index]
        let input = Self.reference.inputs[c.input]!
        let x = Self.tensor(input)
        let size = Pair(h: c.size[0], w: c.size[1])
        let element: StructuringElement = switch c.shape {
        case "custom": try StructuringElement(rows: size.h, columns: size.w, mask: c.element.flatMap { $0.map { $0 == 1 } })
        default: try StructuringElement(StructuringElement.Shape(rawValue: c.shape)!, size: size)
        }
        // Our shapes are OpenCV's getStructuringElement, tap for tap.
        #expect(element.mask == c.element.flatMap { $0.map { $0 == 1 } }, "\(c.shape) \(size)")
        let mode: PaddingMode? = switch c.border {
        case "replicate": .replicate
        case "reflect": .reflect
        default: nil
        }
        let filter = try MorphologyFilter(MorphologyFilter.Operation(rawValue: c.op)!, element: element, iterations: c.iterations,
                                          paddingMode: c.op == "median" ? nil : mode)
        let y = try FilterRunner.run(filter, on: x, options: FilterOptions(lastChannelIsAlpha: false)).tensor
        let (h, w, ch) = (input.shape[0], input.shape[1], input.shape[2])
        try #require(y.shape == x.shape)
        var mismatches = 0, first = ""
        for yy in 0..<h { for xx in 0..<w { for k in 0..<ch {
            // As the 8-bit writer does (and OpenCV's saturating subtraction: tophat and blackhat with an even or
            // asymmetric element can go below 0).
            let ours = min(255, max(0, Int((y[0, k, yy, xx] * 255).rounded())))
            let theirs = c.output[(yy * w + xx) * ch + k]
            if ours != theirs {
                if mismatches == 0 { first = "(\(yy), \(xx), \(k)): \(ours) vs OpenCV \(theirs)" }
                mismatches += 1
            }
        } } }
        #expect(mismatches == 0, "\(c.op) \(c.shape) \(size) ×\(c.iterations) \(c.border) on \(c.input): \(mismatches) samples differ, first \(first)")
    }
}
