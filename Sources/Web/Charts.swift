import Foundation

/// Charts drawn by the server as SVG: no script, no external library, and they print.
enum Charts {
    /// One horizontal bar per line against a dashed target line; values are proportions (0…1)
    /// shown as percentages. Bars short of the target are red.
    static func bars(
        _ title: String, _ bars: [(label: String, value: Double?)], target: Double?, higherIsBetter: Bool = true
    ) -> HTML {
        let (labelWidth, barWidth, rowHeight) = (190.0, 420.0, 22.0)
        let height = Double(bars.count) * rowHeight + 50
        let scale = max(1.0, bars.compactMap(\.value).max() ?? 0, target ?? 0)
        func x(_ value: Double) -> String { format(labelWidth + barWidth * value / scale) }
        var shapes: [HTML] = []
        for (index, bar) in bars.enumerated() {
            let y = 30 + Double(index) * rowHeight
            shapes.append(
                "<text x=\"\(format(labelWidth - 6))\" y=\"\(format(y + 15))\" text-anchor=\"end\">\(String(bar.label.prefix(14)))</text>"
            )
            guard let value = bar.value else {
                shapes.append("<text x=\"\(format(labelWidth + 4))\" y=\"\(format(y + 15))\" fill=\"#888\">无数据</text>")
                continue
            }
            let short = target.map { higherIsBetter ? value < $0 : value > $0 } ?? false
            shapes.append(
                """
                <rect x="\(format(labelWidth))" y="\(format(y + 3))" width="\(format(barWidth * value / scale))" \
                height="\(format(rowHeight - 6))" fill="\(short ? "#d9534f" : "#3b78b5")"></rect>\
                <text x="\(x(value))" dx="4" y="\(format(y + 15))">\(percent(value))</text>
                """)
        }
        if let target {
            shapes.append(
                """
                <line x1="\(x(target))" x2="\(x(target))" y1="24" y2="\(format(height - 18))" stroke="#222" \
                stroke-dasharray="5,3"></line><text x="\(x(target))" y="\(format(height - 4))" text-anchor="middle">目标 \(percent(target))</text>
                """)
        }
        return svg(title, width: labelWidth + barWidth + 70, height: height, shapes)
    }

    /// Lines of values term by term (proportions as percentages), with a dashed target level.
    static func lines(_ title: String, terms: [String], _ series: [(name: String, values: [Double?])], target: Double?)
        -> HTML
    {
        let (left, width, top, height) = (50.0, 520.0, 30.0, 200.0)
        let all = series.flatMap { $0.values.compactMap { $0 } } + (target.map { [$0] } ?? [])
        let (low, high) = ((all.min() ?? 0) * 0.9, max((all.max() ?? 1) * 1.05, 0.01))
        let span = max(high - low, 0.01)
        func x(_ index: Int) -> Double {
            left + (terms.count > 1 ? width * Double(index) / Double(terms.count - 1) : width / 2)
        }
        func y(_ value: Double) -> Double { top + height - height * (value - low) / span }
        let colours = ["#3b78b5", "#d9534f", "#2e8b57", "#8e44ad"]
        var shapes: [HTML] = [
            "<line x1=\"\(format(left))\" x2=\"\(format(left + width))\" y1=\"\(format(top + height))\" y2=\"\(format(top + height))\" stroke=\"#999\"></line>"
        ]
        for (index, term) in terms.enumerated() {
            shapes.append(
                "<text x=\"\(format(x(index)))\" y=\"\(format(top + height + 18))\" text-anchor=\"middle\" font-size=\"11\">\(term)</text>"
            )
        }
        for (number, line) in series.enumerated() {
            let colour = colours[number % colours.count]
            let points = line.values.enumerated().compactMap { index, value in
                value.map { "\(format(x(index))),\(format(y($0)))" }
            }
            shapes.append(
                "<polyline points=\"\(points.joined(separator: " "))\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"></polyline>"
            )
            for (index, value) in line.values.enumerated() {
                guard let value else { continue }
                shapes.append(
                    """
                    <circle cx="\(format(x(index)))" cy="\(format(y(value)))" r="3" fill="\(colour)"></circle>\
                    <text x="\(format(x(index)))" y="\(format(y(value) - 7))" text-anchor="middle" font-size="11">\(percent(value))</text>
                    """)
            }
            shapes.append(
                "<text x=\"\(format(left + width + 8))\" y=\"\(format(top + 14 + Double(number) * 16))\" fill=\"\(colour)\">\(line.name)</text>"
            )
        }
        if let target {
            shapes.append(
                """
                <line x1="\(format(left))" x2="\(format(left + width))" y1="\(format(y(target)))" y2="\(format(y(target)))" \
                stroke="#222" stroke-dasharray="5,3"></line><text x="\(format(left - 4))" y="\(format(y(target) + 4))" text-anchor="end" font-size="11">目标</text>
                """)
        }
        return svg(title, width: left + width + 140, height: top + height + 30, shapes)
    }

    private static func svg(_ title: String, width: Double, height: Double, _ shapes: [HTML]) -> HTML {
        """
        <figure><figcaption>\(title)</figcaption><svg xmlns="http://www.w3.org/2000/svg" role="img" \
        width="\(format(width))" height="\(format(height))" viewBox="0 0 \(format(width)) \(format(height))" \
        font-size="12" font-family="sans-serif"><title>\(title)</title>\(shapes)</svg></figure>
        """
    }

    private static func format(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }
}
