import AgentBase
import Workflows

/// `/workflows`: each workflow's steps drawn as a graph in SVG (a loop's steps inside its box) and a run form made
/// from its inputs for whoever holds `workflow.run`'s permission; the form follows the run it starts.
enum WorkflowsPage {
    static func body(_ workflows: [WorkflowView], mayRun: Bool) -> HTML {
        let sections = workflows.map { workflow -> HTML in
            let fields = HTML.join(workflow.inputs.map { input in
                let id = "in-\(workflow.name)-\(input.name)"
                return """
                <label for="\(id)">\(input.name)\(input.required ? " *" : "")</label>\
                <input id="\(id)" data-input="\(input.name)"\(input.required ? HTML(" required") : "") placeholder="\(input.description)">
                """
            })
            let form: HTML = mayRun
                ? "<form class=\"filters\" data-workflow=\"\(workflow.name)\" aria-label=\"Run \(workflow.name)\">\(fields)<button type=\"submit\">Run \(workflow.name)</button></form>"
                : "<p class=\"muted\">Running a workflow needs the permission workflow.run has in the registry.</p>"
            return """
            <section class="card" id="wf-\(workflow.name)" aria-labelledby="h-\(workflow.name)"><h2 id="h-\(workflow.name)">\(workflow.name)</h2>
            <p>\(workflow.description)</p>\(graph(workflow))\(form)</section>
            """
        }
        return "<h1>Workflows</h1>\(workflows.isEmpty ? HTML("<p class=\"muted\">No workflows (SB_WORKFLOWS).</p>") : HTML.join(sections))"
    }

    /// The steps left to right, joined by arrows; steps of one loop sit in a dashed box labelled with the loop.
    static func graph(_ workflow: WorkflowView) -> HTML {
        let boxWidth = 150.0
        let gap = 40.0
        let width = Double(workflow.steps.count) * (boxWidth + gap)
        let nodes = HTML.join(workflow.steps.enumerated().map { offset, step in
            let x = Double(offset) * (boxWidth + gap) + 5
            let arrow: HTML = offset == 0 ? "" : "<line x1=\"\(x - gap)\" y1=\"45\" x2=\"\(x - 4)\" y2=\"45\" stroke=\"#5a6472\" stroke-width=\"2\" marker-end=\"url(#arrow)\"></line>"
            let loop: HTML = step.loop.map { HTML("<rect x=\"\(x - 3)\" y=\"8\" width=\"\(boxWidth + 6)\" height=\"70\" fill=\"none\" stroke=\"#8a5a00\" stroke-dasharray=\"4 3\"></rect><text x=\"\(x)\" y=\"90\">loop \($0)</text>") } ?? ""
            return """
            \(arrow)\(loop)<rect x="\(x)" y="20" width="\(boxWidth)" height="50" rx="6" fill="#e4ecfb" stroke="#0b57d0"></rect>\
            <text x="\(x + 8)" y="40">\(String(step.name.prefix(20)))</text><text x="\(x + 8)" y="58">\(String(step.type.prefix(20)))</text>
            """
        })
        return """
        <svg role="img" aria-label="Steps of \(workflow.name)" viewBox="0 0 \(max(width, 200)) 100" width="\(max(width, 200))" height="100">\
        <title>Steps of \(workflow.name)</title><defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto">\
        <path d="M0,0 L10,5 L0,10 z" fill="#5a6472"></path></marker></defs>\(nodes)</svg>
        """
    }
}
