import Foundation
import Hummingbird
import MultipartKit
import NIOCore

/// An upload as it arrived: the form's fields and its files, streamed to a private folder
/// (0700) that `discard()` deletes after the import. Sizes are counted as the bytes arrive, so
/// an upload over the limit is refused before it fills the disk.
struct Upload {
    var fields: [String: String] = [:]
    var files: [URL] = []
    let folder: URL

    /// Fields longer than this are cut (they are options, not data).
    static let maxFieldBytes = 4096

    static func receive(_ request: Request, maxBytes: Int, maxFiles: Int, in temporary: URL) async throws -> Upload {
        guard let type = request.headers[.contentType], type.lowercased().hasPrefix("multipart/form-data"),
            let boundary = boundary(of: type)
        else { throw WebError.badRequest("上传请用表单的 multipart/form-data 格式") }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maxBytes {
            throw WebError(
                status: .contentTooLarge,
                message: "上传的内容太大：每次最多 \(maxBytes >> 20) MB；请分几次上传，单个文件过大请拆分，或请管理员调大设置 limits.max_upload_mb")
        }
        let folder = temporary.appendingPathComponent("jiance-upload-\(Token.random())")
        try FileManager.default.createDirectory(
            at: folder, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        var upload = Upload(folder: folder)
        do {
            try await upload.read(request.body, boundary: boundary, maxBytes: maxBytes, maxFiles: maxFiles)
        } catch {
            upload.discard()
            throw error
        }
        return upload
    }

    func discard() { try? FileManager.default.removeItem(at: folder) }

    private static func boundary(of contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                return pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            }
        }
        return nil
    }

    /// One part being received.
    private final class Part {
        var name = ""
        var fileName: String?
        var handle: FileHandle?
        var value = Data()
    }

    private mutating func read(_ body: RequestBody, boundary: String, maxBytes: Int, maxFiles: Int) async throws {
        let parser = MultipartParser(boundary: boundary)
        var part = Part()
        var received = 0
        var problem: WebError?
        var fields: [String: String] = [:]
        var files: [URL] = []
        let folder = folder
        parser.onHeader = { name, value in
            guard name.lowercased() == "content-disposition" else { return }
            part.name = Self.parameter("name", in: value) ?? ""
            part.fileName = Self.parameter("filename", in: value)
        }
        /// The file of the current part, opened at its first bytes (or at its end, when empty).
        func openFile(_ fileName: String) -> Bool {
            guard part.handle == nil else { return true }
            guard files.count < maxFiles else {
                problem = WebError(status: .contentTooLarge, message: "一次最多上传 \(maxFiles) 个文件；请分批上传")
                return false
            }
            let place = folder.appendingPathComponent(String(files.count + 1))
            let url = place.appendingPathComponent(Self.safeName(fileName, number: files.count + 1))
            do {
                try FileManager.default.createDirectory(at: place, withIntermediateDirectories: false)
                guard
                    FileManager.default.createFile(
                        atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
                else { throw CocoaError(.fileWriteNoPermission) }
                part.handle = try FileHandle(forWritingTo: url)
                files.append(url)
                return true
            } catch {
                problem = WebError(status: .internalServerError, message: "服务器无法保存上传的文件：\(error)")
                return false
            }
        }
        parser.onBody = { buffer in
            guard problem == nil else { return }
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            guard let fileName = part.fileName else {
                if part.value.count < Self.maxFieldBytes {
                    part.value.append(contentsOf: bytes.prefix(Self.maxFieldBytes))
                }
                return
            }
            // A file input left empty sends a part with an empty file name and no bytes.
            guard !fileName.isEmpty, openFile(fileName) else { return }
            part.handle?.write(Data(bytes))
        }
        parser.onPartComplete = {
            if problem == nil, let fileName = part.fileName, !fileName.isEmpty { _ = openFile(fileName) }
            try? part.handle?.close()
            if part.fileName == nil, !part.name.isEmpty {
                fields[part.name] = String(decoding: part.value, as: UTF8.self)
            }
            part = Part()
        }
        for try await chunk in body {
            received += chunk.readableBytes
            if received > maxBytes {
                problem = WebError(
                    status: .contentTooLarge,
                    message: "上传的内容太大：每次最多 \(maxBytes >> 20) MB；请分几次上传，单个文件过大请拆分，或请管理员调大设置 limits.max_upload_mb")
            }
            if let problem { throw problem }
            do { try parser.execute(chunk) } catch { throw WebError.badRequest("上传的表单格式不完整，请重新选择文件上传") }
        }
        try? part.handle?.close()
        if let problem { throw problem }
        self.fields = fields
        self.files = files
    }

    /// A parameter of a Content-Disposition header (`name="kind"`, `filename="体测.xlsx"`).
    private static func parameter(_ key: String, in header: String) -> String? {
        for item in header.split(separator: ";").dropFirst() {
            let pair = item.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == key else { continue }
            return pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        }
        return nil
    }

    /// The browser's file name without any folder, control characters or separators, at most
    /// 100 characters: it names the import batch, never a path.
    static func safeName(_ name: String, number: Int) -> String {
        let last = name.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? ""
        let clean = String(
            last.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) }.map(Character.init))
        let trimmed = String(clean.suffix(100)).trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty || trimmed.hasPrefix(".") ? "上传文件\(number)\(trimmed)" : trimmed
    }
}
