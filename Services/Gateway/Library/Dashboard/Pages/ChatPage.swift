import AgentBase

/// `/chat`: the inbox of the viewer's web conversations (new, rename, delete, switch) and the open one, ready to type;
/// messages go to the Assistant, or to the coding session bound with `/session`, as in Telegram and Slack.
enum ChatPage {
    static func body(_ conversations: [WebConversations.Conversation], open: WebConversations.Conversation, messages: [JSONValue]) -> HTML {
        let inbox = HTML.join(conversations.map { conversation in
            "<li\(conversation.id == open.id ? HTML(" aria-current=\"true\"") : "")><a href=\"/chat?c=\(PageParts.path(conversation.id))\">\(conversation.title)</a></li>"
        })
        // "…" stands for an answer on its way; once more follows, it is only noise.
        let visible = messages.enumerated().filter { offset, message in message["text"]?.stringValue != "…" || offset == messages.count - 1 }.map(\.element)
        let shown = HTML.join(visible.map { message in
            let role = message["role"]?.stringValue == "user" ? "user" : "assistant"
            return "<li class=\"\(role)\">\(message["text"]?.stringValue)</li>"
        })
        return """
        <h1 class="visually-hidden">Chat</h1>
        <div class="chat" data-conversation="\(open.id)">
        <aside aria-label="Conversations"><button type="button" id="new-conversation">New conversation</button><ul class="inbox">\(inbox)</ul></aside>
        <section aria-label="\(open.title)">
        <form id="rename" class="filters"><label>Title<input name="title" value="\(open.title)" maxlength="200"></label><button type="submit" class="secondary">Rename</button>
        <button type="button" id="delete-conversation" class="danger">Delete</button></form>
        <ol id="messages" class="messages" aria-live="polite">\(shown)</ol>
        <form id="compose" class="compose"><label for="text" class="visually-hidden">Message</label>
        <textarea id="text" name="text" placeholder="Message the Assistant, or /help" autofocus></textarea>
        <label class="attach">Files for a coding session<input type="file" id="files" name="files" multiple></label><button type="submit">Send</button></form>
        </section></div>
        """
    }
}
