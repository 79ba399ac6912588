/// The district database (docs/district.md). Stations ship the chain of their log and, for each
/// record, the few facts the district's figures need: ids, days, sites, tiers. No name, address,
/// note or account of a person or a worker is ever sent, so none can be read there.
enum DistrictSchema {
    /// Bumped when a table changes; a database of another version is refused, except that one of
    /// the version before is brought up to this one (`migrations`), once, under the schema lock.
    /// An older shegong then refuses the database instead of shipping what it no longer holds.
    static let version = "2"

    /// What brings a database of the version before up to this one.
    static let migrations: [String: [String]] = [
        // 1 → 2: the hub's tables. An origin first shipped before them has `hub_facts` false and
        // gets every hub record once (`Shipper.shipHubOnce`).
        "1": ["ALTER TABLE shegong.origins ADD COLUMN IF NOT EXISTS hub_facts boolean NOT NULL DEFAULT false"],
    ]

    static let statements = [
        "CREATE SCHEMA IF NOT EXISTS shegong",
        "CREATE TABLE IF NOT EXISTS shegong.meta (key text PRIMARY KEY, value text NOT NULL)",
        "INSERT INTO shegong.meta VALUES ('schema_version', '\(version)') ON CONFLICT (key) DO NOTHING",
        // Each origin is shipped by one database role, the one that first shipped it.
        """
        CREATE TABLE IF NOT EXISTS shegong.origins (
            origin text PRIMARY KEY, genesis text NOT NULL, station text NOT NULL, db_role text NOT NULL DEFAULT current_user,
            shipped_number bigint NOT NULL DEFAULT 0, shipped_hash text NOT NULL, shipped_offset bigint NOT NULL DEFAULT 0,
            shipped_at timestamptz, newest_record_at timestamptz, hub_facts boolean NOT NULL DEFAULT false)
        """,
        // Every record of each shipping store's log, by number: the district re-checks the links.
        """
        CREATE TABLE IF NOT EXISTS shegong.chain (
            origin text NOT NULL, number bigint NOT NULL, hash text NOT NULL, prev text NOT NULL, event_id uuid NOT NULL,
            PRIMARY KEY (origin, number))
        """,
        // Each event once, under the origin that wrote it (a laptop's, shipped by its station).
        """
        CREATE TABLE IF NOT EXISTS shegong.events (
            event_id uuid PRIMARY KEY, origin text NOT NULL, origin_number bigint NOT NULL, chain_hash text,
            shipped_by text NOT NULL, type text NOT NULL, at timestamptz NOT NULL, subject text NOT NULL, held boolean NOT NULL)
        """,
        "CREATE TABLE IF NOT EXISTS shegong.sites (id text PRIMARY KEY, station text NOT NULL, name text NOT NULL, tier text NOT NULL, parent text)",
        // `last_visit` is kept by the triggers below, from the visits the district holds.
        """
        CREATE TABLE IF NOT EXISTS shegong.people (
            id text PRIMARY KEY, station text NOT NULL, community text NOT NULL, household uuid NOT NULL, tier text NOT NULL,
            registered_on date NOT NULL, last_visit date)
        """,
        "CREATE TABLE IF NOT EXISTS shegong.visits (id text PRIMARY KEY, station text NOT NULL, person text NOT NULL, day date NOT NULL, home boolean NOT NULL)",
        "CREATE INDEX IF NOT EXISTS visits_person_day ON shegong.visits (person, day)",
        "CREATE INDEX IF NOT EXISTS visits_day ON shegong.visits (day)",
        // Each person's last visit, kept in the same transaction as the visits and people it
        // follows, set by set: the figures that need it (visit rate, overdue) then read people only.
        lastVisitFunction("refresh_last_visit", changedPeople: "person"),
        lastVisitFunction("people_last_visit", changedPeople: "id"),
        "CREATE OR REPLACE TRIGGER visits_added AFTER INSERT ON shegong.visits REFERENCING NEW TABLE AS changed "
            + "FOR EACH STATEMENT EXECUTE FUNCTION shegong.refresh_last_visit()",
        "CREATE OR REPLACE TRIGGER visits_removed AFTER DELETE ON shegong.visits REFERENCING OLD TABLE AS changed "
            + "FOR EACH STATEMENT EXECUTE FUNCTION shegong.refresh_last_visit()",
        "CREATE OR REPLACE TRIGGER people_added AFTER INSERT ON shegong.people REFERENCING NEW TABLE AS changed "
            + "FOR EACH STATEMENT EXECUTE FUNCTION shegong.people_last_visit()",
        """
        CREATE TABLE IF NOT EXISTS shegong.cases (
            id text PRIMARY KEY, station text NOT NULL, person text NOT NULL, site text NOT NULL, opened_on date NOT NULL, closed_on date)
        """,
        "CREATE TABLE IF NOT EXISTS shegong.case_contacts (case_id text NOT NULL, station text NOT NULL, day date NOT NULL)",
        "CREATE INDEX IF NOT EXISTS case_contacts_case ON shegong.case_contacts (case_id)",
        """
        CREATE TABLE IF NOT EXISTS shegong.group_sessions (
            group_id text NOT NULL, station text NOT NULL, site text NOT NULL, day date NOT NULL, present integer NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS group_sessions_group ON shegong.group_sessions (group_id)",
        """
        CREATE TABLE IF NOT EXISTS shegong.activities (
            id text PRIMARY KEY, station text NOT NULL, site text NOT NULL, day date NOT NULL, headcount integer NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS shegong.volunteers (
            id text PRIMARY KEY, station text NOT NULL, site text NOT NULL, registered_on date NOT NULL, backbone boolean NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS shegong.volunteer_hours (
            id text PRIMARY KEY, station text NOT NULL, volunteer text NOT NULL, day date NOT NULL, hours numeric NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS volunteer_hours_volunteer ON shegong.volunteer_hours (volunteer)",
        // The hub's facts: days, sites, amounts in fen and counts; no name of a project, fund,
        // donor, organisation, person or wish. New in schema version 2: a version-1 database gains
        // them here (IF NOT EXISTS) and the `hub_facts` column by its migration.
        """
        CREATE TABLE IF NOT EXISTS shegong.hub_projects (
            id text PRIMARY KEY, station text NOT NULL, site text NOT NULL, approved_on date, approved_fen bigint, closed_on date)
        """,
        """
        CREATE TABLE IF NOT EXISTS shegong.hub_ledger (
            id text NOT NULL, station text NOT NULL, site text NOT NULL, day date NOT NULL, figure text NOT NULL, amount_fen bigint NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS hub_ledger_id ON shegong.hub_ledger (id)",
        "CREATE TABLE IF NOT EXISTS shegong.hub_organisations (id text PRIMARY KEY, station text NOT NULL, site text NOT NULL, out_on date)",
        "CREATE TABLE IF NOT EXISTS shegong.hub_talents (id text PRIMARY KEY, station text NOT NULL, site text NOT NULL, certified_on date)",
        """
        CREATE TABLE IF NOT EXISTS shegong.hub_supervision (
            talent_id text NOT NULL, station text NOT NULL, site text NOT NULL, day date NOT NULL, hours numeric NOT NULL)
        """,
        "CREATE INDEX IF NOT EXISTS hub_supervision_talent ON shegong.hub_supervision (talent_id)",
        """
        CREATE TABLE IF NOT EXISTS shegong.hub_trainings (
            id text PRIMARY KEY, station text NOT NULL, site text NOT NULL, day date NOT NULL, attendees integer NOT NULL)
        """,
        "CREATE TABLE IF NOT EXISTS shegong.hub_wishes (id text PRIMARY KEY, station text NOT NULL, site text NOT NULL, fulfilled_on date)",
    ]

    /// A trigger function that sets `last_visit` of the people its statement's rows name (by the
    /// `changedPeople` column of the transition table `changed`).
    static func lastVisitFunction(_ name: String, changedPeople column: String) -> String {
        """
        CREATE OR REPLACE FUNCTION shegong.\(name)() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE shegong.people p SET last_visit = (SELECT max(v.day) FROM shegong.visits v WHERE v.person = p.id)
            WHERE p.id IN (SELECT \(column) FROM changed);
            RETURN NULL;
        END $$
        """
    }

    /// Creates what is missing; safe to run on every connection (two at once wait on a lock).
    static func prepare(_ db: PostgreSQL) throws {
        try db.transaction {
            try db.execute("SELECT pg_advisory_xact_lock(hashtext('shegong schema'))")
            for sql in statements { try db.execute(sql) }
            var found = try db.value("SELECT value FROM shegong.meta WHERE key = 'schema_version'")
            if let from = found, let steps = migrations[from] {
                for sql in steps { try db.execute(sql) }
                try db.execute("UPDATE shegong.meta SET value = '\(version)' WHERE key = 'schema_version'")
                found = version
            }
            guard found == version else {
                throw PostgreSQLError("the district database has shegong schema version \(found ?? "?"); this shegong uses version \(version)")
            }
        }
        try db.execute("SET search_path TO shegong")
    }

    /// A fact table: its name, its columns (the record's id first, then the station that owns the
    /// row), and the column whose value names the record a row belongs to (a record's rows are
    /// replaced together, and only by the station that owns them).
    struct Table {
        var name: String
        var columns: [String]
        var key: String
    }
    static let sites = Table(name: "sites", columns: ["id", "station", "name", "tier", "parent"], key: "id")
    static let people = Table(name: "people", columns: ["id", "station", "community", "household", "tier", "registered_on"], key: "id")
    static let visits = Table(name: "visits", columns: ["id", "station", "person", "day", "home"], key: "id")
    static let cases = Table(name: "cases", columns: ["id", "station", "person", "site", "opened_on", "closed_on"], key: "id")
    static let caseContacts = Table(name: "case_contacts", columns: ["case_id", "station", "day"], key: "case_id")
    static let groupSessions = Table(name: "group_sessions", columns: ["group_id", "station", "site", "day", "present"], key: "group_id")
    static let activities = Table(name: "activities", columns: ["id", "station", "site", "day", "headcount"], key: "id")
    static let volunteers = Table(name: "volunteers", columns: ["id", "station", "site", "registered_on", "backbone"], key: "id")
    static let hours = Table(name: "volunteer_hours", columns: ["id", "station", "volunteer", "day", "hours"], key: "id")
    static let projects = Table(name: "hub_projects", columns: ["id", "station", "site", "approved_on", "approved_fen", "closed_on"], key: "id")
    static let ledger = Table(name: "hub_ledger", columns: ["id", "station", "site", "day", "figure", "amount_fen"], key: "id")
    static let organisations = Table(name: "hub_organisations", columns: ["id", "station", "site", "out_on"], key: "id")
    static let talents = Table(name: "hub_talents", columns: ["id", "station", "site", "certified_on"], key: "id")
    static let supervision = Table(name: "hub_supervision", columns: ["talent_id", "station", "site", "day", "hours"], key: "talent_id")
    static let trainings = Table(name: "hub_trainings", columns: ["id", "station", "site", "day", "attendees"], key: "id")
    static let wishes = Table(name: "hub_wishes", columns: ["id", "station", "site", "fulfilled_on"], key: "id")
}
