import AgentBase

/// `/schedules`: each schedule's cron, next fire, last slot and state; operators run it now, pause or resume it.
enum SchedulesPage {
    static func body(_ schedules: [ScheduleView], viewer: Viewer) -> HTML {
        let rows = schedules.map { schedule -> [HTML] in
            let url = "/v1/schedules/\(PageParts.path(schedule.name))"
            let actions: HTML = viewer.may(.write)
                ? "<div class=\"actions\">\(PageParts.action("Run now", url: "\(url)/run", then: "task"))\(schedule.paused ? PageParts.action("Resume", url: "\(url)/resume") : PageParts.action("Pause", url: "\(url)/pause", style: "secondary"))</div>"
                : ""
            return [
                "<strong>\(schedule.name)</strong><br><span class=\"muted\">\(schedule.description)</span>", "<code>\(schedule.cron)</code> \(schedule.timeZone)",
                "\(schedule.workflow.map { "workflow \($0)" } ?? schedule.message)", PageParts.time(schedule.nextFire), PageParts.time(schedule.lastSlot),
                schedule.paused ? "<strong>paused</strong>" : "active", actions,
            ]
        }
        return "<h1>Schedules</h1>\(PageParts.table(["Schedule", "Cron", "Runs", "Next fire", "Last slot", "State", ""], rows, empty: "No schedules (SB_SCHEDULES)."))"
    }
}
