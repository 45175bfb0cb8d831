import Foundation

/// A progress line on standard error while long work runs, when standard error is a terminal:
/// nothing extra when output goes to a file or a script.
enum TerminalProgress {
    static let isTerminal = isatty(STDERR_FILENO) == 1

    /// Replaces the progress line with `text`.
    static func show(_ text: String) {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
    }

    /// Removes the progress line before ordinary output.
    static func clear() {
        guard isTerminal else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}
