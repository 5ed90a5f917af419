import AgentBase
import Testing
import Workflows

/// The template language: whole-value templates keep JSON types, text templates interpolate, filters, errors.
struct TemplateTests {
    let scope: JSONValue = [
        "inputs": ["repo": "org/app", "n": 3, "flags": ["a", "b"]],
        "steps": ["review": ["result": ["findings": [
            ["path": "a.swift", "line": 3, "severity": "error", "message": "boom"],
            ["path": "b.swift", "line": 9, "severity": "info", "message": "meh"],
        ]]]],
    ]

    func render(_ text: String) throws -> JSONValue {
        try Template(parsing: text).render(scope)
    }

    @Test("a template that is one expression yields the value with its type; text templates interpolate")
    func wholeValues() throws {
        #expect(try render("{{ inputs.n }}") == 3)
        #expect(try render("{{ inputs.flags }}") == ["a", "b"])
        #expect(try render("repo {{ inputs.repo }} has {{ inputs.n }}") == "repo org/app has 3")
        #expect(try render("{{ inputs.missing }}") == nil)
        #expect(try render("{{ inputs.flags[1] }}") == "b")
    }

    @Test("filters: default, json, length, join, at_least, format, empty, not, first")
    func filters() throws {
        #expect(try render("{{ inputs.missing | default: 'x' }}") == "x")
        #expect(try render("{{ inputs.missing | default: inputs.repo }}") == "org/app")
        #expect(try render("{{ inputs.flags | json }}") == "[\"a\",\"b\"]")
        #expect(try render("{{ inputs.flags | length }}") == 2)
        #expect(try render("{{ inputs.flags | join: '+' }}") == "a+b")
        #expect(try render("{{ steps.review.result.findings | at_least: warning | length }}") == 1)
        #expect(try render("{{ steps.review.result.findings | at_least: warning | format: '{path}:{line} {message}' | join }}") == "a.swift:3 boom")
        #expect(try render("{{ steps.review.result.findings | at_least: error | empty }}") == false)
        #expect(try render("{{ steps.other.result | empty }}") == true)
        #expect(try render("{{ inputs.n | not }}") == false)
        #expect(try render("{{ inputs.flags | first }}") == "a")
    }

    @Test("parse errors say what is wrong")
    func errors() {
        #expect(throws: TemplateError("unknown filter 'upper' (known: default, json, length, join, at_least, format, empty, not, first, last)")) { try Template(parsing: "{{ inputs.a | upper }}") }
        #expect(throws: TemplateError("'{{' without a closing '}}' in \"{{ inputs.a\"")) { try Template(parsing: "{{ inputs.a") }
        #expect(throws: TemplateError("filter 'default' needs an argument, e.g. 'default: …'")) { try Template(parsing: "{{ inputs.a | default }}") }
        #expect(throws: TemplateError("at_least: the argument must be one of info, warning, error, not \"loud\"")) { try Template(parsing: "{{ x | at_least: 'loud' }}") }
        #expect(throws: TemplateError("length: expected a list, object or string, got 3")) { try Template(parsing: "{{ inputs.n | length }}").render(scope) }
    }
}
