import Testing
import TensorEngine
@testable import ImageFilters

/// Kernel text from any editor (issue 12.18) and kernel parameters whose derived sizes would overflow (12.5).
@Suite struct KernelTextTests {
    static let expected = try! Kernel([[1, 2, 3], [4, 5, 6], [7, 8, 9]])

    @Test(arguments: ["1 2 3\n4 5 6\n7 8 9\n", "1 2 3\r\n4 5 6\r\n7 8 9\r\n", "1 2 3\r4 5 6\r7 8 9\r",
                      "\u{FEFF}1 2 3\n4 5 6\n7 8 9", "\u{FEFF}1,2,3\r\n4,5,6\r\n7,8,9", "# c\r\n1 2 3 # x\r\n\r\n4 5 6\r\n7 8 9"])
    func kernelFilesWithCRLFCROrBOMRead_item18(text: String) throws {
        #expect(try KernelParser.parse(text, fromFile: true).kernel == Self.expected)
        #expect(try KernelParser.parse(text).kernel == Self.expected)
    }

    @Test func libvipsHeaderWithCRLF_item18() throws {
        let parsed = try KernelParser.parse("\u{FEFF}3 3 2 0.5\r\n1 2 3\r\n4 5 6\r\n7 8 9\r\n", fromFile: true)
        #expect(parsed.kernel == Self.expected)
        #expect(parsed.divisor == 2)
        #expect(parsed.offset == 0.5)
    }

    @Test func messagesCarryNoRawControlBytes_item18() {
        for text in ["1 2\r\nx\u{7}y 3", "1 \u{1B}[2J", "1 2\n3 a\tb\u{0}"] {
            do {
                _ = try KernelParser.parse(text)
                Issue.record("accepted \(text.debugDescription)")
            } catch {
                let message = "\(error)"
                #expect(!message.unicodeScalars.contains { $0.properties.generalCategory == .control }, "\(message.debugDescription)")
            }
        }
    }

    @Test func hugeSigmaIsRefused_item5() throws {
        for sigma: Float in [1e19, 1e30, 4e18, 333.34, Float.greatestFiniteMagnitude] {
            #expect(throws: FilterError.self) { try KernelLibrary.gaussian1D(sigma: sigma) }
            #expect(throws: FilterError.self) { try BlurFilter(.gaussian(sigma: sigma, radius: nil)) }
            #expect(throws: FilterError.self) { try SharpenFilter(.unsharpMask(sigma: sigma, amount: 1, threshold: 0)) }
        }
        #expect(try KernelLibrary.gaussian1D(sigma: 333.33).count == 2001)
        // An explicit radius bounds the kernel whatever σ is.
        #expect(try KernelLibrary.gaussian1D(sigma: 1e19, radius: 2).count == 5)
        for sigma: Float in [.nan, .infinity, -.infinity, 0, -1] {
            #expect(throws: FilterError.self) { try KernelLibrary.gaussian1D(sigma: sigma) }
        }
    }

    @Test func explainMatrixMessagesNameTheMatrix_item21() {
        for text in ["", " ; ", "1 2; 3", "1 x"] {
            #expect(throws: FilterError.self) { try KernelParser.parseMatrix(text) }
            let message = (try? KernelParser.parseMatrix(text)).map { _ in "" } ?? { do { _ = try KernelParser.parseMatrix(text); return "" } catch { return "\(error)" } }()
            #expect(message.contains("matrix") && !message.contains("kernel"), "\(message)")
        }
    }
}
