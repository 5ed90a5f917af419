import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`) with `*`, lists, ranges, steps
/// and month/day names; day-of-month and day-of-week together match either, as in cron.
public struct CronExpression: Sendable, Hashable, CustomStringConvertible {
    public let source: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let days: Set<Int>
    let months: Set<Int>
    /// 0 = Sunday … 6 = Saturday.
    let weekdays: Set<Int>
    let daysRestricted: Bool
    let weekdaysRestricted: Bool

    public init(parsing source: String) throws(CronError) {
        let fields = source.split(whereSeparator: \.isWhitespace).map(String.init)
        guard fields.count == 5 else {
            throw CronError("'\(source)' has \(fields.count) fields; a cron expression has 5: minute hour day-of-month month day-of-week")
        }
        self.source = source
        minutes = try Self.field(fields[0], "minute", 0...59, names: [:])
        hours = try Self.field(fields[1], "hour", 0...23, names: [:])
        days = try Self.field(fields[2], "day-of-month", 1...31, names: [:])
        months = try Self.field(fields[3], "month", 1...12, names: Self.monthNames)
        weekdays = Set(try Self.field(fields[4], "day-of-week", 0...7, names: Self.weekdayNames).map { $0 % 7 })
        daysRestricted = fields[2] != "*" && fields[2] != "?"
        weekdaysRestricted = fields[4] != "*" && fields[4] != "?"
    }

    public var description: String { source }

    /// The first time after `date` (to the minute) the expression matches in `timeZone`; nil if none within 5 years.
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let wanted: Set<Calendar.Component> = [.year, .month, .day, .hour, .minute, .weekday]
        guard var candidate = calendar.date(byAdding: .minute, value: 1, to: calendar.dateInterval(of: .minute, for: date)?.start ?? date) else { return nil }
        let limit = date.addingTimeInterval(5 * 366 * 86_400)
        while candidate <= limit {
            let parts = calendar.dateComponents(wanted, from: candidate)
            guard let month = parts.month, let day = parts.day, let hour = parts.hour, let minute = parts.minute, let weekday = parts.weekday else { return nil }
            let step: (Calendar.Component, Calendar.Component?)?
            if !months.contains(month) {
                step = (.month, .month)
            } else if !matches(day: day, weekday: weekday - 1) {
                step = (.day, .day)
            } else if !hours.contains(hour) {
                step = (.hour, .hour)
            } else if !minutes.contains(minute) {
                step = (.minute, nil)
            } else {
                return candidate
            }
            guard let step, let advanced = calendar.date(byAdding: step.0, value: 1, to: candidate) else { return nil }
            candidate = step.1.flatMap { calendar.dateInterval(of: $0, for: advanced)?.start } ?? advanced
        }
        return nil
    }

    private func matches(day: Int, weekday: Int) -> Bool {
        switch (daysRestricted, weekdaysRestricted) {
        case (true, true): days.contains(day) || weekdays.contains(weekday)
        case (true, false): days.contains(day)
        case (false, true): weekdays.contains(weekday)
        case (false, false): true
        }
    }

    static let monthNames = ["jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12]
    static let weekdayNames = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]

    private static func field(_ text: String, _ name: String, _ range: ClosedRange<Int>, names: [String: Int]) throws(CronError) -> Set<Int> {
        func number(_ part: Substring) throws(CronError) -> Int {
            guard let value = Int(part) ?? names[part.lowercased()], range.contains(value) else {
                throw CronError("\(name) '\(part)' is not in \(range.lowerBound)–\(range.upperBound)\(names.isEmpty ? "" : " or a name such as \(names.keys.sorted().prefix(3).joined(separator: ", "))")")
            }
            return value
        }
        var values: Set<Int> = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = item.split(separator: "/", omittingEmptySubsequences: false)
            guard (1...2).contains(pieces.count), !pieces[0].isEmpty else { throw CronError("\(name) '\(item)' is not a value, range or step") }
            var step = 1
            if pieces.count == 2 {
                guard let value = Int(pieces[1]), value > 0 else { throw CronError("\(name) step '\(pieces[1])' must be a positive number") }
                step = value
            }
            let bounds: ClosedRange<Int>
            if pieces[0] == "*" || pieces[0] == "?" {
                bounds = range
            } else if let dash = pieces[0].firstIndex(of: "-") {
                let low = try number(pieces[0][..<dash])
                let high = try number(pieces[0][pieces[0].index(after: dash)...])
                guard low <= high else { throw CronError("\(name) range '\(pieces[0])' runs backwards") }
                bounds = low...high
            } else {
                let value = try number(pieces[0])
                bounds = value...(pieces.count == 2 ? range.upperBound : value)
            }
            values.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return values
    }
}

/// A cron expression that cannot be parsed.
public struct CronError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
