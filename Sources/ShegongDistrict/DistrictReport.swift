import ShegongDomain

/// The figures of `Report`, the hub's too, with the same definitions, computed by the district's
/// database over the facts the stations shipped, one row per station. The district's figure is
/// the stations' figures added up (people are counted per station: a person's id names its
/// station), and the rate is recomputed from its parts.
public enum DistrictReport {
    public static func compute(_ db: PostgreSQL, from: Day, to: Day, site: String? = nil) throws -> (total: Report, stations: [StationStatus]) {
        try DistrictSchema.prepare(db)
        // The figures group a few hundred thousand rows: in memory, not in sorted runs on disk.
        try db.execute("SET work_mem = '64MB'")
        let p: [String?] = [from.iso, to.iso, site]
        var figures: [String: [String: Double]] = [:]  // station → key → value
        func collect(_ sql: String, _ keys: [String]) throws {
            for row in try db.execute(scoped(sql), p) {
                guard let station = row[0] else { continue }
                for (i, key) in keys.enumerated() { figures[station, default: [:]][key, default: 0] += Double(row[i + 1] ?? "0") ?? 0 }
            }
        }
        // Visits by (household, day) in one hash aggregate; the home ones are the households visited.
        try collect("""
            SELECT station, sum(visits), count(*) FILTER (WHERE home) FROM (
                SELECT v.station, x.household, v.day, count(*) AS visits, bool_or(v.home) AS home
                FROM visits v JOIN people x ON x.id = v.person
                WHERE v.day BETWEEN $1::date AND $2::date AND \(inSite("x.community")) GROUP BY 1, 2, 3) by_household GROUP BY station
            """, ["visits", "household_visits"])
        try collect("""
            SELECT station, count(*) FILTER (WHERE opened_on BETWEEN $1::date AND $2::date),
                   count(*) FILTER (WHERE closed_on BETWEEN $1::date AND $2::date),
                   count(*) FILTER (WHERE opened_on <= $2::date AND (closed_on IS NULL OR closed_on > $2::date))
            FROM cases WHERE \(inSite("site")) GROUP BY station
            """, ["cases_new", "cases_closed", "cases_open"])
        try collect("""
            SELECT c.station, count(*) FROM case_contacts k JOIN cases c ON c.id = k.case_id
            WHERE k.day BETWEEN $1::date AND $2::date AND \(inSite("c.site")) GROUP BY c.station
            """, ["contacts"])
        try collect("""
            SELECT station, count(DISTINCT person) FROM (
                SELECT station, person FROM cases WHERE opened_on BETWEEN $1::date AND $2::date AND \(inSite("site"))
                UNION ALL
                SELECT c.station, c.person FROM case_contacts k JOIN cases c ON c.id = k.case_id
                WHERE k.day BETWEEN $1::date AND $2::date AND \(inSite("c.site"))) served GROUP BY station
            """, ["people_served_case"])
        try collect("""
            SELECT station, count(DISTINCT group_id), count(*), sum(present) FROM group_sessions
            WHERE day BETWEEN $1::date AND $2::date AND \(inSite("site")) GROUP BY station
            """, ["groups", "group_sessions", "group_attendances"])
        try collect("""
            SELECT station, count(*), sum(headcount) FROM activities
            WHERE day BETWEEN $1::date AND $2::date AND \(inSite("site")) GROUP BY station
            """, ["activities", "activity_participants"])
        try collect("""
            SELECT station, count(*), count(*) FILTER (WHERE backbone) FROM volunteers
            WHERE registered_on <= $2::date AND \(inSite("site")) GROUP BY station
            """, ["volunteers_registered", "volunteers_backbone"])
        try collect("""
            SELECT v.station, count(DISTINCT h.volunteer), sum(h.hours) FROM volunteer_hours h JOIN volunteers v ON v.id = h.volunteer
            WHERE h.day BETWEEN $1::date AND $2::date AND v.registered_on <= $2::date AND \(inSite("v.site")) GROUP BY v.station
            """, ["volunteers_active", "volunteer_hours"])
        // Visit rate and overdue people: each person's last visit up to the period's end, and
        // whether they were visited in the period's last month (VisitTier.nextDue, in SQL). The
        // kept `last_visit` answers both unless it falls after the period (a past period), and only
        // then are that person's visits looked up.
        try collect("""
            SELECT station, count(*) FILTER (WHERE tier <> 'general'),
                   count(*) FILTER (WHERE tier <> 'general' AND visited),
                   count(*) FILTER (WHERE (CASE tier
                       WHEN 'high' THEN coalesce(last, registered_on) + 7
                       WHEN 'priority' THEN (coalesce(last, registered_on) + interval '1 month')::date
                       ELSE (coalesce(last, registered_on) + interval '3 months')::date END) < $2::date)
            FROM (
                SELECT x.station, x.tier, x.registered_on,
                       CASE WHEN x.last_visit <= $2::date THEN x.last_visit
                            ELSE (SELECT max(day) FROM visits v WHERE v.person = x.id AND v.day <= $2::date) END AS last,
                       CASE WHEN x.last_visit IS NULL OR x.last_visit < greatest($1::date, date_trunc('month', $2::date)::date) THEN false
                            WHEN x.last_visit <= $2::date THEN true
                            ELSE EXISTS (SELECT 1 FROM visits v WHERE v.person = x.id
                                         AND v.day BETWEEN greatest($1::date, date_trunc('month', $2::date)::date) AND $2::date) END AS visited
                FROM people x WHERE x.registered_on <= $2::date AND \(inSite("x.community"))) person_visits
            GROUP BY station
            """, ["scheme", "visited", "overdue_people"])
        try collectHub(collect)

        var stations: [StationStatus] = []
        var sum: [String: Double] = [:]
        for row in try db.execute("""
            SELECT origin, station, shipped_number, extract(epoch FROM shipped_at)::bigint, extract(epoch FROM newest_record_at)::bigint
            FROM origins ORDER BY station, origin
            """) {
            let origin = row[0] ?? ""
            let f = figures[origin] ?? [:]
            for (k, v) in f { sum[k, default: 0] += v }
            stations.append(StationStatus(origin: origin, station: row[1] ?? "", shippedRecords: Int(row[2] ?? "0") ?? 0,
                                          shippedAt: row[3].flatMap { Int64($0) }.map(Timestamp.init(seconds:)),
                                          newestRecord: row[4].flatMap { Int64($0) }.map(Timestamp.init(seconds:)),
                                          report: report(f, from: from, to: to, site: site)))
        }
        return (report(sum, from: from, to: to, site: site), stations)
    }

    /// The hub's figures (`HubReport`), money in fen until `report` turns it into 万元.
    static func collectHub(_ collect: (String, [String]) throws -> Void) throws {
        try collect("""
            SELECT station, count(*) FILTER (WHERE approved_on BETWEEN $1::date AND $2::date),
                   coalesce(sum(approved_fen) FILTER (WHERE approved_on BETWEEN $1::date AND $2::date), 0),
                   count(*) FILTER (WHERE closed_on BETWEEN $1::date AND $2::date)
            FROM hub_projects WHERE \(inSite("site")) GROUP BY station
            """, ["projects_approved", "funding_approved", "projects_completed"])
        try collect("""
            SELECT station, coalesce(sum(amount_fen) FILTER (WHERE figure = 'funds_raised'), 0),
                   coalesce(sum(amount_fen) FILTER (WHERE figure = 'resources_linked'), 0),
                   coalesce(sum(amount_fen) FILTER (WHERE figure = 'funds_granted'), 0)
            FROM hub_ledger WHERE day BETWEEN $1::date AND $2::date AND \(inSite("site")) GROUP BY station
            """, ["funds_raised", "resources_linked", "funds_granted"])
        try collect("""
            SELECT station, count(*) FROM hub_organisations WHERE out_on BETWEEN $1::date AND $2::date AND \(inSite("site")) GROUP BY station
            """, ["orgs_incubated"])
        try collect("""
            SELECT station, count(*) FROM hub_talents WHERE certified_on <= $2::date AND \(inSite("site")) GROUP BY station
            """, ["certified_workers"])
        try collect("""
            SELECT station, sum(attendees) FROM hub_trainings WHERE day BETWEEN $1::date AND $2::date AND \(inSite("site")) GROUP BY station
            """, ["training_person_times"])
        try collect("""
            SELECT station, sum(hours) FROM hub_supervision WHERE day BETWEEN $1::date AND $2::date AND \(inSite("site")) GROUP BY station
            """, ["supervision_hours"])
        try collect("""
            SELECT station, count(*) FROM hub_wishes WHERE fulfilled_on BETWEEN $1::date AND $2::date AND \(inSite("site")) GROUP BY station
            """, ["wishes_fulfilled"])
    }

    /// The sites `$3` names and every site below it; no `$3` means every site.
    static func scoped(_ sql: String) -> String {
        """
        WITH RECURSIVE period AS (SELECT $1::date AS first, $2::date AS last), -- types every parameter, used or not
        insite(id) AS (SELECT id FROM sites WHERE id = $3::text UNION SELECT s.id FROM sites s JOIN insite i ON s.parent = i.id)
        \(sql)
        """
    }

    static func inSite(_ column: String) -> String { "($3::text IS NULL OR \(column) IN (SELECT id FROM insite))" }

    /// The figures in `Report`'s order, from the parts the queries return.
    static func report(_ f: [String: Double], from: Day, to: Day, site: String?) -> Report {
        let scheme = f["scheme"] ?? 0
        var values = f
        values["service_person_times"] = (f["visits"] ?? 0) + (f["contacts"] ?? 0) + (f["group_attendances"] ?? 0) + (f["activity_participants"] ?? 0)
        values["volunteer_hours"] = ((f["volunteer_hours"] ?? 0) * 100).rounded() / 100
        values["visit_rate"] = scheme == 0 ? 0 : ((f["visited"] ?? 0) / scheme * 1000).rounded() / 1000
        for key in HubReport.moneyKeys { values[key] = Money(fen: Int(f[key] ?? 0)).inWan }
        return Report(from: from, to: to, site: site, figures: Report.allDefinitions.map { ($0.key, values[$0.key] ?? 0) })
    }
}
