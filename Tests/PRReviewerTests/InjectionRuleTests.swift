import AgentBase
import PRReviewer
import Testing

/// The injection rules: flow rules follow a string built from data to a query or a shell a few lines below, in every
/// language they name; parameterised queries and argument lists stay quiet. Each case goes through the engine.
struct InjectionRuleTests {
    /// The findings of `rule` over `snippet` added as one file at `path`.
    private func findings(_ rule: String, _ path: String, _ snippet: String) throws -> [Int] {
        let lines = snippet.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let file = TestData.added(path, lines)
        return try RuleEngine(rules: TestData.rules()).findings(in: [file], allChangedPaths: ["Tests/x"]).filter { $0.rule == rule }.compactMap(\.line)
    }

    @Test("each flow rule finds every match snippet (on its sink line) and nothing in its no_match snippets", arguments: try TestData.rules().rules.filter(\.isFlowRule).map(\.id))
    func flowExamples(id: String) throws {
        let rule = try #require(try TestData.rules().rule(id: id))
        for snippet in rule.examples.match {
            let found = try findings(id, rule.examples.path, snippet)
            let lines = snippet.split(separator: "\n", omittingEmptySubsequences: true).count
            #expect(found == [lines], "\(id) should fire on the last line of:\n\(snippet)")
        }
        for snippet in rule.examples.noMatch {
            #expect(try findings(id, rule.examples.path, snippet).isEmpty, "\(id) should not fire on:\n\(snippet)")
        }
    }

    @Test("SQL built from data and run a few lines below, in each language", arguments: [
        ("web/db.js", "const q = `SELECT * FROM orders WHERE id = ${req.params.id}`;\nconst rows = await pool.query(q);"),
        ("web/db.ts", "let sql = \"DELETE FROM carts WHERE owner = '\" + owner + \"'\";\nawait db.execute(sql);"),
        ("store/users.go", "query := \"SELECT name FROM users WHERE id = \" + id\nrows, err := db.Query(query)"),
        ("store/users.go", "query := fmt.Sprintf(\"SELECT name FROM users WHERE id = %s\", id)\nrow := db.QueryRowContext(ctx, query)"),
        ("src/main/java/Dao.java", "String sql = \"SELECT * FROM users WHERE name = '\" + name + \"'\";\nResultSet rs = stmt.executeQuery(sql);"),
        ("app/models/user.rb", "sql = \"SELECT * FROM users WHERE name = '#{name}'\"\nUser.find_by_sql(sql)"),
        ("public/users.php", "$sql = \"SELECT * FROM users WHERE id = \" . $_GET['id'];\n$result = mysqli_query($conn, $sql);"),
        ("Sources/Store.swift", "let sql = \"SELECT * FROM users WHERE id = \\(id)\"\nsqlite3_exec(db, sql, nil, nil, nil)"),
    ])
    func sqlFlow(path: String, snippet: String) throws {
        #expect(try findings("sql-injection-flow", path, snippet) == [2], "\(path)")
    }

    @Test("parameterised queries are left alone, in each language", arguments: [
        ("web/db.js", "const q = \"SELECT * FROM orders WHERE id = $1\";\nconst rows = await pool.query(q, [id]);"),
        ("store/users.go", "query := \"SELECT name FROM users WHERE id = ?\"\nrows, err := db.Query(query, id)"),
        ("src/main/java/Dao.java", "String sql = \"SELECT * FROM users WHERE name = ?\";\nPreparedStatement ps = conn.prepareStatement(sql);"),
        ("public/users.php", "$sql = 'SELECT * FROM users WHERE id = ?';\n$stmt = $pdo->prepare($sql);"),
    ])
    func parameterisedQueries(path: String, snippet: String) throws {
        #expect(try findings("sql-injection-flow", path, snippet).isEmpty, "\(path)")
    }

    @Test("a command line built from data and run by a shell a few lines below, in each language", arguments: [
        ("tools/archive.py", "cmd = \"tar xzf \" + path\nsubprocess.call(cmd, shell=True)"),
        ("web/run.js", "const cmd = `git checkout ${branch}`;\nexec(cmd, done);"),
        ("cmd/run.go", "script := \"tar xzf \" + archive\nout, err := exec.Command(\"sh\", \"-c\", script).Output()"),
        ("src/main/java/Run.java", "String cmd = \"ping -c 1 \" + host;\nRuntime.getRuntime().exec(cmd);"),
        ("public/run.php", "$cmd = \"convert \" . $file;\n$out = shell_exec($cmd);"),
        ("Sources/Run.swift", "let line = \"git log \\(branch)\"\nprocess.arguments = [\"-c\", line]"),
    ])
    func shellFlow(path: String, snippet: String) throws {
        #expect(try findings("shell-injection-flow", path, snippet) == [2], "\(path)")
    }

    @Test("argument lists are left alone", arguments: [
        ("tools/archive.py", "cmd = \"tar xzf \" + path\nsubprocess.run([\"tar\", \"xzf\", path], check=True)"),
        ("web/run.js", "const name = `v${version}`;\nexecFile(\"git\", [\"tag\", name]);"),
        ("cmd/run.go", "name := \"v\" + version\nexec.Command(\"git\", \"tag\", name).Run()"),
    ])
    func argumentLists(path: String, snippet: String) throws {
        #expect(try findings("shell-injection-flow", path, snippet).isEmpty, "\(path)")
    }

    @Test("a sink further than `within` lines from the source is not linked to it")
    func distance() throws {
        let filler = Array(repeating: "log.info(\"step\")", count: 9).joined(separator: "\n")
        let snippet = "cmd = \"tar xzf \" + path\n\(filler)\nos.system(cmd)"
        #expect(try findings("shell-injection-flow", "tools/archive.py", snippet).isEmpty)
    }

    @Test("a rules file whose match example holds none of the rule's literals is refused with the line")
    func prefilterHidingAnExample() {
        let text = """
        version: 1
        rules:
          - id: shout
            severity: info
            message: m
            pattern: 'LOUD'
            requires: ['quiet']
            examples:
              match: ['LOUD']
        """
        #expect {
            _ = try RuleSet.parse(text)
        } throws: { error in
            "\(error)".contains("rules[0].requires") && "\(error)".contains("review-rules.yaml:9")
        }
    }
}
