import AgentBase

/// `/runs/{id}`: a workflow run's steps with their status and task links (the step in flight last), the failure and
/// the output; refreshed live until the run ends.
enum RunPage {
    static func body(_ run: RunView) -> HTML {
        // The step in flight is a row too, running, after the steps that ended.
        let inFlight = run.current.map { [JSONValue.object(["name": $0["step"] ?? .null, "status": "running", "task": $0["task"] ?? .null])] } ?? []
        let rows = HTML.join((run.steps + inFlight).map { step in
            let task = step["task"]?.stringValue
            return "<tr><td>\(step["name"]?.stringValue)</td><td>\(PageParts.status(step["status"]?.stringValue))</td><td>\(task.map { HTML("<a href=\"/tasks/\(PageParts.path($0))\">\($0)</a>") } ?? "")</td></tr>"
        })
        return """
        <h1>Run <code>\(run.id)</code> of <a id="run-workflow" href="/workflows#wf-\(run.workflow)">\(run.workflow)</a> \(PageParts.status(run.status).withID("run-status"))</h1>
        <p id="run-failure" class="error">\(run.failure)</p>
        <section class="card" aria-labelledby="h-steps"><h2 id="h-steps">Steps</h2><div class="table-wrap"><table><thead><tr><th>Step</th><th>Status</th><th>Task</th></tr></thead>
        <tbody id="run-steps">\(rows)</tbody></table></div></section>
        <section class="card" aria-labelledby="h-output"><h2 id="h-output">Output</h2><pre id="run-output">\(run.output?.prettyText ?? "None yet.")</pre></section>
        <p><a href="/tasks/\(PageParts.path(run.id))">The workflow.run task</a></p>
        """
    }
}
