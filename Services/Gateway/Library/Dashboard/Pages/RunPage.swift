import AgentBase

/// `/runs/{id}`: a workflow run's steps with their status and task links, the step in flight, the failure and the
/// output; refreshed live until the run ends.
enum RunPage {
    static func body(_ run: RunView) -> HTML {
        let rows = HTML.join(run.steps.map { step in
            let task = step["task"]?.stringValue
            return "<tr><td>\(step["name"]?.stringValue)</td><td>\(PageParts.status(step["status"]?.stringValue))</td><td>\(task.map { HTML("<a href=\"/tasks/\(PageParts.path($0))\">\($0)</a>") } ?? "")</td></tr>"
        })
        let current = run.current.map { current -> HTML in
            let task = current["task"]?.stringValue ?? ""
            return "<p>Now: step <strong>\(current["step"]?.stringValue)</strong>, task <a href=\"/tasks/\(PageParts.path(task))\">\(task)</a></p>"
        } ?? ""
        return """
        <h1>Run <code>\(run.id)</code> of <a href="/workflows#wf-\(run.workflow)">\(run.workflow)</a> \(PageParts.status(run.status).withID("run-status"))</h1>
        \(current)\(run.failure.map { HTML("<p class=\"error\">\($0)</p>") } ?? "")
        <section class="card" aria-labelledby="h-steps"><h2 id="h-steps">Steps</h2><div class="table-wrap"><table><thead><tr><th>Step</th><th>Status</th><th>Task</th></tr></thead>
        <tbody id="run-steps">\(rows)</tbody></table></div></section>
        <section class="card" aria-labelledby="h-output"><h2 id="h-output">Output</h2><pre id="run-output">\(run.output?.prettyText ?? "None yet.")</pre></section>
        <p><a href="/tasks/\(PageParts.path(run.id))">The workflow.run task</a></p>
        """
    }
}
