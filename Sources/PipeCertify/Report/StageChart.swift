import Foundation

/// An SVG bar chart of a certificate's stage loads: one stacked bar per stage (work, comm in,
/// comm out), the lower bound as a dashed line, the upper bound (bottleneck) labelled.
public enum StageChart {
    /// The chart as a standalone SVG document.
    public static func svg(_ certificate: Certificate) -> String {
        let stages = certificate.upperBound.stages
        let upper = certificate.upperBound.value
        let lower = certificate.lowerBound.value
        let width = 960.0, height = 460.0
        let left = 80.0, right = 200.0, top = 56.0, bottom = 52.0
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let ticks = niceTicks(upTo: max(upper, lower, 1e-12) * 1.08)
        let scaleMax = ticks.last ?? 1
        func y(_ value: Double) -> Double { top + plotHeight * (1 - value / scaleMax) }
        let slot = plotWidth / Double(max(stages.count, 1))
        let barWidth = max(slot * 0.72, 1)
        let figure = NumberFormatting.figure
        let unit = XMLText.escape(certificate.units.time)

        var svg = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" viewBox="0 0 \(Int(width)) \(Int(height))" font-family="Helvetica, Arial, sans-serif" font-size="12">
            <rect width="100%" height="100%" fill="white"/>
            <text x="\(left)" y="24" font-size="16" font-weight="bold">\(XMLText.escape(certificate.graph.name)): \(certificate.stages) stages, LB/UB \(NumberFormatting.ratio(certificate.ratio))</text>
            <text x="\(left)" y="42" fill="#555">upper bound \(figure(upper)) \(unit) (\(XMLText.escape(certificate.upperBound.method))), lower bound \(figure(lower)) \(unit) (\(XMLText.escape(certificate.lowerBound.method))), solver \(XMLText.escape(certificate.solver))</text>

            """
        for tick in ticks {
            svg += "<line x1=\"\(left)\" y1=\"\(fmt(y(tick)))\" x2=\"\(left + plotWidth)\" y2=\"\(fmt(y(tick)))\" stroke=\"#e4e4e4\"/>\n"
            svg += "<text x=\"\(left - 6)\" y=\"\(fmt(y(tick) + 4))\" text-anchor=\"end\" fill=\"#444\">\(figure(tick))</text>\n"
        }
        svg += "<text transform=\"translate(18,\(fmt(top + plotHeight / 2))) rotate(-90)\" text-anchor=\"middle\" fill=\"#444\">stage cost (\(unit))</text>\n"
        let layers: [(String, String, KeyPath<Certificate.Stage, Double>)] = [
            ("work", "#4e79a7", \.work), ("comm in", "#f28e2b", \.commIn), ("comm out", "#59a14f", \.commOut),
        ]
        let labelEvery = max(1, Int((Double(stages.count) / 32).rounded(.up)))
        for (position, stage) in stages.enumerated() {
            let x = left + slot * Double(position) + (slot - barWidth) / 2
            var base = 0.0
            for (name, color, path) in layers where stage[keyPath: path] > 0 {
                let value = stage[keyPath: path]
                svg += "<rect x=\"\(fmt(x))\" y=\"\(fmt(y(base + value)))\" width=\"\(fmt(barWidth))\" height=\"\(fmt(y(base) - y(base + value)))\" fill=\"\(color)\"><title>stage \(stage.index) \(name): \(figure(value)) \(unit)</title></rect>\n"
                base += value
            }
            if stage.index % labelEvery == 0 {
                svg += "<text x=\"\(fmt(x + barWidth / 2))\" y=\"\(fmt(top + plotHeight + 16))\" text-anchor=\"middle\" fill=\"#444\">\(stage.index)</text>\n"
            }
            if stage.cost == upper, upper > 0, stages.count <= 32 {
                svg += "<text x=\"\(fmt(x + barWidth / 2))\" y=\"\(fmt(y(stage.cost) - 5))\" text-anchor=\"middle\" font-weight=\"bold\">\(figure(stage.cost))</text>\n"
            }
        }
        svg += "<text x=\"\(fmt(left + plotWidth / 2))\" y=\"\(fmt(height - 12))\" text-anchor=\"middle\" fill=\"#444\">stage</text>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(fmt(top + plotHeight))\" x2=\"\(left + plotWidth)\" y2=\"\(fmt(top + plotHeight))\" stroke=\"#333\"/>\n"
        // The two bounds: OPT lies between the lines.
        svg += "<line x1=\"\(left)\" y1=\"\(fmt(y(upper)))\" x2=\"\(left + plotWidth)\" y2=\"\(fmt(y(upper)))\" stroke=\"#c00\" stroke-width=\"1.5\"/>\n"
        svg += "<line x1=\"\(left)\" y1=\"\(fmt(y(lower)))\" x2=\"\(left + plotWidth)\" y2=\"\(fmt(y(lower)))\" stroke=\"#222\" stroke-width=\"1.5\" stroke-dasharray=\"6,4\"/>\n"
        let upperLabelY = y(upper), lowerLabelY = max(y(lower), upperLabelY + 28)
        svg += "<text x=\"\(left + plotWidth + 8)\" y=\"\(fmt(upperLabelY + 4))\" fill=\"#c00\">UB \(figure(upper)) (bottleneck)</text>\n"
        svg += "<text x=\"\(left + plotWidth + 8)\" y=\"\(fmt(lowerLabelY + 4))\" fill=\"#222\">LB \(figure(lower)) (\(XMLText.escape(certificate.lowerBound.method)))</text>\n"
        let legendY = top + plotHeight - 60
        for (position, (name, color, _)) in layers.enumerated() {
            let rowY = legendY + Double(position) * 20
            svg += "<rect x=\"\(left + plotWidth + 10)\" y=\"\(fmt(rowY))\" width=\"14\" height=\"14\" fill=\"\(color)\"/>\n"
            svg += "<text x=\"\(left + plotWidth + 30)\" y=\"\(fmt(rowY + 11))\">\(name)</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    /// Round tick values from 0 to at least `maximum`: steps of 1, 2 or 5 times a power of ten.
    static func niceTicks(upTo maximum: Double) -> [Double] {
        let rough = maximum / 6
        let power = pow(10, floor(log10(rough)))
        let step = [1.0, 2, 2.5, 5, 10].map { $0 * power }.first { $0 >= rough } ?? rough
        var ticks: [Double] = [0]
        // The last tick is the top of the plot, so it must reach the maximum.
        while ticks.last! < maximum && ticks.count < 40 { ticks.append(Double(ticks.count) * step) }
        return ticks
    }

    private static func fmt(_ value: Double) -> String { String(format: "%.1f", value) }
}
