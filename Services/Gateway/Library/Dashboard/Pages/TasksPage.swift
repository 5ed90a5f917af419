import AgentBase

/// `/tasks`: tasks newest first with filters (status, agent, type, source, since, until), a page at a time, statuses
/// live.
enum TasksPage {
    static func body(filter: TaskFilter, page: TaskIndex.Page, isFirst: Bool, agents: [String], types: [String]) -> HTML {
        func options(_ values: [String], selected: String?) -> HTML {
            HTML.join([HTML("<option value=\"\">any</option>")] + values.map { "<option\($0 == selected ? HTML(" selected") : "")>\($0)</option>" })
        }
        let statuses = TaskStatus.allCases.map { $0.rawValue.lowercased() }
        let since = filter.since.map { String($0) }
        let until = filter.until.map { String($0) }
        return """
        <h1>Tasks</h1>
        <form class="filters" method="get" action="/tasks" role="search">
        <label>Status<select name="status">\(options(statuses, selected: filter.status?.rawValue.lowercased()))</select></label>
        <label>Agent<select name="agent">\(options(agents, selected: filter.agent))</select></label>
        <label>Type<select name="type">\(options(types, selected: filter.type))</select></label>
        <label>Source<input name="source" value="\(filter.source)" placeholder="web:, telegram:…"></label>
        <label>Since<input name="since" value="\(since)" placeholder="2026-11-30T00:00:00Z"></label>
        <label>Until<input name="until" value="\(until)" placeholder="2026-11-30T23:59:59Z"></label>
        <button type="submit">Filter</button> <a href="/tasks">Clear</a>
        </form>
        \(PageParts.table(PageParts.taskHeaders, PageParts.taskRows(page.tasks), empty: "No tasks match."))
        \(PageParts.pager("/tasks", items: filter.queryItems, next: page.next, isFirst: isFirst))
        """
    }
}
