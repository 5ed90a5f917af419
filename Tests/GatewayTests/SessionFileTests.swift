import AgentBase
import CodeWriter
import Foundation
@testable import Gateway
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SwitchboardTesting
import Testing

/// Files in and out of coding sessions: a document sent in Telegram reaches the model (text through read_attachment,
/// an image as image input), a file the model hands back arrives as a document, a long /diff comes as a file, and
/// files that are too large, not text or sent outside a session are refused with a reason.
@Suite(.serialized)
struct SessionFileTests {
    let sessions = SessionTests()

    /// A tiny PNG (the 8-byte signature and an IHDR chunk are enough for the type check).
    static let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]

    @Test("a document with a caption is a turn whose model reads it (read_attachment); send_file comes back as a document; an image goes to the model as image input")
    func filesInAndOut() async throws {
        try await sessions.withScriptedWorld([
            .anthropicMessage([FakeModelAPI.toolUse("toolu_r1", "read_attachment", ["name": "spec.txt"])], stop: "tool_use"),
            .anthropicMessage([FakeModelAPI.toolUse("toolu_s1", "send_file", ["name": "report.md", "content": "# Report\nAll rows parsed.\n"])], stop: "tool_use"),
            SessionTests.writes("parser.txt", "reads the header\n"),
            .anthropicText("Read the spec, wrote parser.txt, report attached."),
            .anthropicText("The picture shows one pixel."),
        ]) { world, api in
            try await world.fixture.gateway.makeApplication().test(.live) { _ in
                try await world.say("/session \(world.git.url)", in: 930, expecting: "Coding session started")
                world.send(document: Array("The CSV has a header row: name,size\n".utf8), name: "spec.txt", mimeType: "text/plain", caption: "Follow the spec I sent.", in: 930)
                try await world.waitFor("report attached", in: 930)
                try await eventually("the report as a document") { world.telegram.messages.contains { $0.method == "sendDocument" } }
                world.send(document: Self.png, name: "screen.png", mimeType: "image/png", caption: nil, in: 930)
                try await world.waitFor("one pixel", in: 930)
            }
            let requests = api.received
            let opening = requests[0].body["messages"]?.jsonString ?? ""
            #expect(opening.contains("spec.txt (text/plain, 36 bytes)") && opening.contains("Follow the spec I sent."))
            #expect(requests[1].body["messages"]?.jsonString.contains("The CSV has a header row") == true)
            let tools = requests[0].body["tools"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(tools.contains("read_attachment") && tools.contains("send_file"))
            let document = try #require(world.telegram.messages.first { $0.method == "sendDocument" })
            #expect(document.chat == "930" && document.document?.name == "report.md" && document.document?.content == "# Report\nAll rows parsed.\n")
            // The image turn: no caption, so its text names the file; the image itself is an image block.
            let image = try #require(requests.last?.body["messages"]?[0]?["content"]?.arrayValue)
            #expect(image.first?["text"]?.stringValue?.contains("(sent screen.png)") == true)
            #expect(image.contains { $0["type"]?.stringValue == "image" && $0["source"]?["media_type"]?.stringValue == "image/png" && $0["source"]?["data"]?.stringValue == Data(Self.png).base64EncodedString() })
            #expect(try await world.git.log(SessionBranch.name(conversation: "telegram:930")).first == "Follow the spec I sent.")
            // The attachments' folder is gone once the turn ends.
            let attachments = world.workspace.appendingPathComponent("attachments")
            #expect(((try? FileManager.default.contentsOfDirectory(atPath: attachments.path)) ?? []).isEmpty)
        }
    }

    @Test("a long /diff comes as a file beside the cut text")
    func longDiffAsFile() async throws {
        let long = (1...200).map { "line \($0) of a long file that makes the diff longer than a chat message" }.joined(separator: "\n") + "\n"
        try await sessions.withScriptedWorld([SessionTests.writes("long.txt", long), .anthropicText("Wrote long.txt.")]) { world, _ in
            try await world.fixture.gateway.makeApplication().test(.live) { _ in
                try await world.say("/session \(world.git.url)", in: 931, expecting: "Coding session started")
                try await world.say("Write a long file.", in: 931, expecting: "Wrote long.txt.")
                try await world.say("/diff", in: 931, expecting: "the whole diff follows as")
                try await eventually("the diff as a document") { world.telegram.messages.contains { $0.method == "sendDocument" } }
            }
            let document = try #require(world.telegram.messages.first { $0.method == "sendDocument" }?.document)
            #expect(document.name.hasSuffix(".diff") && document.content.contains("+line 200 of a long file"))
        }
    }

    @Test("files that are too large, not text, or sent outside a session are refused with the reason; nothing is published")
    func refusals() async throws {
        try await sessions.withWorld(model: OfflineModel(), extra: ["SB_ATTACHMENT_MAX_BYTES": "1000"]) { world in
            try await world.fixture.gateway.makeApplication().test(.live) { _ in
                world.send(document: Array("notes\n".utf8), name: "notes.txt", mimeType: "text/plain", caption: nil, in: 932)
                try await world.waitFor("Files are read by coding sessions", in: 932)
                try await world.say("/session \(world.git.url)", in: 932, expecting: "Coding session started")
                world.send(document: Array(repeating: 65, count: 10), name: "big.txt", mimeType: "text/plain", caption: "Use this.", in: 932, declaredSize: 5000)
                try await world.waitFor("big.txt is 5000 bytes", in: 932)
                world.send(document: [0x7F, 0x45, 0x4C, 0x46, 0, 1, 2], name: "tool.bin", mimeType: "application/octet-stream", caption: "Run this.", in: 932)
                try await world.waitFor("tool.bin is neither a text file", in: 932)
                world.send(document: Array("not really a png".utf8) + [0], name: "fake.png", mimeType: "image/png", caption: "Look.", in: 932)
                try await world.waitFor("fake.png is neither a text file", in: 932)
            }
            #expect(world.sent(to: 932).contains { $0.contains("SB_ATTACHMENT_MAX_BYTES") })
            // The declared size was over the limit: the file was never fetched.
            #expect(world.telegram.downloads.count == 2)
            #expect(try await world.entries(of: CodeWriterService.name).isEmpty)
        }
    }

    @Test("the type check reads the bytes: images by their signature, text as UTF-8 without NUL; names lose paths and control characters")
    func typeCheck() {
        #expect(TurnAttachments.mediaType(of: Self.png, name: "x.txt", declared: "text/plain") == "image/png")
        #expect(TurnAttachments.mediaType(of: Array("a,b\n".utf8), name: "t.csv", declared: "application/octet-stream") == "text/csv")
        #expect(TurnAttachments.mediaType(of: Array("{}".utf8), name: "x", declared: "application/json; charset=utf-8") == "application/json")
        #expect(TurnAttachments.mediaType(of: [0xFF, 0xFE, 0x00], name: "x.txt", declared: "text/plain") == nil)
        #expect(FileKind.safeName("../../etc/passwd") == "passwd")
        #expect(FileKind.safeName("..\u{0}\n") == "file")
        #expect(FileKind.safeName(".env") == "env")
    }
}

extension SessionFileTests {
    /// A message in the Slack thread sharing files (`file_share`), each `[id, name, mimetype, size, url]`.
    static func share(_ text: String, eventID: String, files: [JSONValue]) -> String {
        let event: JSONValue = [
            "type": "app_mention", "subtype": "file_share", "user": "U1", "channel": "C1", "ts": "1795000000.000300", "thread_ts": "1795000000.000100",
            "text": .string("<@UBOT> \(text)"), "files": .array(files),
        ]
        return JSONValue.object(["type": "event_callback", "team_id": "T1", "event_id": .string(eventID), "event": event]).jsonString
    }

    @Test("in a Slack thread a shared file is fetched with the bot token from Slack's file host only, and send_file goes up by the external upload (no token to the upload URL)")
    func slackFiles() async throws {
        let slack = FakeSlack()
        try await slack.server.start()
        slack.share(Array("id,total\n1,3\n".utf8), id: "F1", token: SlackTests.token)
        let extra = ["SLACK_SIGNING_SECRET": SlackTests.secret, "SLACK_BOT_TOKEN": SlackTests.token, "SLACK_API_URL": slack.apiURL, "SLACK_ALLOWED_TEAMS": "T1"]
        try await withTeardown {
            try await sessions.withScriptedWorld([
                .anthropicMessage([FakeModelAPI.toolUse("toolu_r1", "read_attachment", ["name": "totals.csv"])], stop: "tool_use"),
                .anthropicMessage([FakeModelAPI.toolUse("toolu_s1", "send_file", ["name": "summary.txt", "content": "1 row, total 3\n"])], stop: "tool_use"),
                .anthropicText("Summarised the file."),
            ], extra: extra) { world, api in
                try await world.fixture.gateway.makeApplication().test(.live) { client in
                    func post(_ body: String) async throws {
                        _ = try await client.execute(uri: "/webhooks/slack/events", method: .post, headers: SlackTests.headers(body), body: ByteBuffer(string: body))
                    }
                    try await post(SlackTests.mention("/session \(world.git.url)", eventID: "Ev1"))
                    try await eventually("bound") { slack.calls.contains { $0.text.contains("Coding session started") } }
                    let good: JSONValue = ["id": "F1", "name": "totals.csv", "mimetype": "text/csv", "size": 14, "url_private_download": .string(slack.fileURL("F1"))]
                    try await post(Self.share("Summarise this.", eventID: "Ev2", files: [good]))
                    try await eventually("the summary uploaded") { slack.calls.contains { $0.method == "files.completeUploadExternal" } }
                    // A file whose URL is on another host: the token is not sent there, the turn is refused.
                    let elsewhere = slack.fileURL("F1").replacingOccurrences(of: "127.0.0.1", with: "localhost")
                    try await post(Self.share("And this one.", eventID: "Ev3", files: [["id": "F9", "name": "x.csv", "url_private": .string(elsewhere)]]))
                    try await eventually("the refusal") { slack.calls.contains { $0.text.contains("not on Slack&#39;s file host") || $0.text.contains("not on Slack's file host") } }
                }
                #expect(slack.downloads == ["F1"])
                #expect(api.received[1].body["messages"]?.jsonString.contains("1,3") == true)
                let upload = try #require(slack.calls.first { $0.method == "files.getUploadURLExternal" })
                #expect(upload.text == "summary.txt")
                #expect(slack.uploads.values.map { String(decoding: $0, as: UTF8.self) } == ["1 row, total 3\n"])
                #expect(slack.uploadsWithAuthorization == 0)
                let complete = try #require(slack.calls.first { $0.method == "files.completeUploadExternal" })
                #expect(complete.threadTS == "1795000000.000100")
            }
        } teardown: {
            await slack.server.stop()
        }
    }
}

extension SessionFileTests {
    @Test("in the web chat: /session binds the conversation, an uploaded file goes to the turn's model, a too-large upload is refused with 413")
    func webChatUpload() async throws {
        try await sessions.withScriptedWorld([
            .anthropicMessage([FakeModelAPI.toolUse("toolu_w1", "read_attachment", ["name": "notes.txt"])], stop: "tool_use"),
            SessionTests.writes("NOTES.md", "from the web\n"),
            .anthropicText("Copied your notes into NOTES.md."),
        ], extra: ["SB_ATTACHMENT_MAX_BYTES": "2000"]) { world, api in
            try await world.fixture.gateway.makeApplication().test(.live) { client in
                let browser = try await DashboardTests.login(client)
                let created = try GatewayAPITests.json(try await client.execute(uri: "/v1/conversations", method: .post, headers: browser.headers, body: ByteBuffer(string: "{}")).body)
                let id = try #require(created["id"]?.stringValue)
                @Sendable func send(_ body: JSONValue) async throws -> HTTPResponse.Status {
                    try await client.execute(uri: "/v1/conversations/\(id)/messages", method: .post, headers: browser.headers, body: ByteBuffer(string: body.jsonString)).status
                }
                @Sendable func shown() async throws -> String {
                    try GatewayAPITests.json(try await client.execute(uri: "/v1/conversations/\(id)/messages", method: .get, headers: browser.headers).body)["messages"]?.jsonString ?? ""
                }
                #expect(try await send(["text": .string("/session \(world.git.url)")]) == .ok)
                try await eventually("bound") { try await shown().contains("Coding session started") }
                let upload: JSONValue = ["name": "notes.txt", "media_type": "text/plain", "data": .string(Data("remember the milk\n".utf8).base64EncodedString())]
                #expect(try await send(["text": "Put my notes in the repository.", "files": [upload]]) == .ok)
                try await eventually("the turn's reply in the conversation", timeout: .seconds(60)) { try await shown().contains("Copied your notes into NOTES.md.") }
                let big: JSONValue = ["name": "big.txt", "data": .string(Data(repeating: 65, count: 3000).base64EncodedString())]
                #expect(try await send(["text": "And this.", "files": [big]]) == .contentTooLarge)
                #expect(try await send(["files": [["name": "x.txt", "data": "not base64!"]]]) == .badRequest)
            }
            #expect(api.received[1].body["messages"]?.jsonString.contains("remember the milk") == true)
            let conversation = try #require(try await world.entries(of: CodeWriterService.name).last?["conversation"])
            #expect(conversation.hasPrefix("web:"))
            #expect(try await world.git.file("NOTES.md", at: SessionBranch.name(conversation: conversation)) == "from the web\n")
        }
    }
}
