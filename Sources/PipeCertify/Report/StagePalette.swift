import Foundation

/// Distinct fill colours for stages, shared by the SVG, HTML and DOT outputs.
public enum StagePalette {
    /// Twelve hues at least 30° apart, ordered so that consecutive stages are at least 60° apart
    /// (red, blue, green, orange, purple, cyan, yellow, pink, teal, indigo, lime, magenta).
    static let hues: [Double] = [0, 210, 120, 30, 270, 180, 60, 330, 150, 240, 90, 300]
    /// Lightness of each round through ``hues`` (stage 12 is darker than stage 0, stage 24 lighter),
    /// all light enough for black text.
    static let lightnesses: [Double] = [0.66, 0.52, 0.78]

    /// The hue of stage `index`, in degrees.
    public static func hue(forStage index: Int) -> Double { hues[index % hues.count] }

    /// The colour of stage `index` as `#rrggbb`: neighbouring stages never share a hue (their hues
    /// are at least 60° apart), and stages 12 apart share a hue but not a lightness.
    public static func color(forStage index: Int) -> String {
        let round = (index / hues.count) % lightnesses.count
        let (red, green, blue) = rgb(hue: hue(forStage: index), saturation: 0.7, lightness: lightnesses[round])
        return String(format: "#%02x%02x%02x", Int((red * 255).rounded()), Int((green * 255).rounded()), Int((blue * 255).rounded()))
    }

    private static func rgb(hue: Double, saturation: Double, lightness: Double) -> (Double, Double, Double) {
        let chroma = (1 - abs(2 * lightness - 1)) * saturation
        let sector = hue / 60
        let second = chroma * (1 - abs(sector.truncatingRemainder(dividingBy: 2) - 1))
        let (red, green, blue): (Double, Double, Double)
        switch sector {
        case ..<1: (red, green, blue) = (chroma, second, 0)
        case ..<2: (red, green, blue) = (second, chroma, 0)
        case ..<3: (red, green, blue) = (0, chroma, second)
        case ..<4: (red, green, blue) = (0, second, chroma)
        case ..<5: (red, green, blue) = (second, 0, chroma)
        default: (red, green, blue) = (chroma, 0, second)
        }
        let offset = lightness - chroma / 2
        return (red + offset, green + offset, blue + offset)
    }
}

/// Escaping for text placed in XML (SVG, HTML).
enum XMLText {
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}
