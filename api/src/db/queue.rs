//! The agent queue: one page of tickets in the member's departments, keyset
//! paginated (no `OFFSET`: page 1,000 costs what page 1 does), and the
//! sidebar counts.
//!
//! Every query starts from `status`, the first column of the queue indexes
//! (`tickets_waiting`, `tickets_activity`, `tickets_priority`; for all
//! statuses at once the partial `tickets_all_*` ones, migration 0008); the
//! sort values follow and the id breaks ties, so a page is an index range
//! scan. Unconfirmed tickets are never listed.

use rusqlite::{Connection, ToSql, params_from_iter};
use shared::{
    api::Status,
    console::{
        AssigneeFilter, Priority, QUEUE_PAGE, QueueCounts, QueueItem, QueuePage, QueueQuery, Sort,
        StaffRef, StatusFilter,
    },
    i18n::Lang,
};

use super::{
    search::{Search, Source},
    staff::Member,
    tickets,
};
use crate::error::{Error, Result};

/// Where a page starts: the sort values and id of the previous page's last row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cursor {
    first: i64,
    second: i64,
    id: i64,
}

impl Cursor {
    fn encode(self) -> String {
        format!("{}_{}_{}", self.first, self.second, self.id)
    }

    fn decode(text: &str) -> Result<Cursor> {
        let mut parts = text.split('_').map(str::parse::<i64>);
        match (parts.next(), parts.next(), parts.next(), parts.next()) {
            (Some(Ok(first)), Some(Ok(second)), Some(Ok(id)), None) => {
                Ok(Cursor { first, second, id })
            }
            _ => Err(Error::BadRequest),
        }
    }
}

fn statuses(filter: StatusFilter) -> &'static str {
    match filter {
        StatusFilter::Open => "t.status = 'open'",
        StatusFilter::Answered => "t.status = 'answered'",
        StatusFilter::Closed => "t.status = 'closed'",
        // Written so, not as a list of three: the partial `tickets_all_*`
        // indexes (migration 0008) are used only when the query says this.
        StatusFilter::All => "t.status <> 'awaiting_confirmation'",
    }
}

/// "Waiting longest": since the customer started waiting, or the last
/// activity of a ticket nobody waits on; the expression the indexes of
/// migration 0008 hold, written the same way.
const WAITING: &str = "coalesce(t.waiting_since, t.updated_at)";
/// The bm25 rank of a search match, as an integer a cursor can carry.
const RANK: &str = "CAST(round(m.rank * 1000000) AS INTEGER)";

/// An order: up to two sort values (SQL, ascending?) before the id, which
/// breaks ties in the direction of the last of them.
struct Order {
    keys: Vec<(&'static str, bool)>,
    id_ascending: bool,
}

impl Order {
    fn of(sort: Sort, ranked: bool) -> Order {
        let (keys, id_ascending) = match sort {
            Sort::Waiting => (vec![(WAITING, true)], true),
            Sort::Rank if ranked => (vec![(RANK, true)], true),
            Sort::Activity | Sort::Rank => (vec![("t.updated_at", false)], false),
            Sort::Created => (vec![], false),
            // Most urgent first, then waiting longest: the index holds
            // `priority DESC` so one forward scan gives this order.
            Sort::Priority => (vec![("t.priority", false), (WAITING, true)], true),
        };
        Order { keys, id_ascending }
    }

    fn by(&self) -> String {
        let direction = |ascending: bool| if ascending { "ASC" } else { "DESC" };
        let mut parts: Vec<String> = self
            .keys
            .iter()
            .map(|(key, ascending)| format!("{key} {}", direction(*ascending)))
            .collect();
        parts.push(format!("t.id {}", direction(self.id_ascending)));
        parts.join(", ")
    }

    /// The sort values a cursor carries (0 where there is none).
    fn selected(&self) -> String {
        let key = |n: usize| self.keys.get(n).map_or("0", |(key, _)| key);
        format!("{}, {}", key(0), key(1))
    }

    /// Rows after the cursor. With one direction throughout this is a row
    /// value comparison (one range of the index); the priority order mixes
    /// directions, so its first key bounds the range and the rest follows.
    fn after(&self, cursor: Cursor, params: &mut Vec<Box<dyn ToSql>>) -> String {
        let op = |ascending: bool| if ascending { ">" } else { "<" };
        let mut param = |value: i64| {
            params.push(Box::new(value));
            format!("?{}", params.len())
        };
        match self.keys.as_slice() {
            [] => format!(" AND t.id {} {}", op(self.id_ascending), param(cursor.id)),
            [(key, _)] => format!(
                " AND ({key}, t.id) {} ({}, {})",
                op(self.id_ascending),
                param(cursor.first),
                param(cursor.id)
            ),
            [(first, first_ascending), (second, _), ..] => {
                let value = param(cursor.first);
                format!(
                    " AND {first} {}= {value} AND ({first} {} {value} OR ({second}, t.id) {} ({}, {}))",
                    op(*first_ascending),
                    op(*first_ascending),
                    op(self.id_ascending),
                    param(cursor.second),
                    param(cursor.id)
                )
            }
        }
    }
}

/// Conditions every query shares: the member's departments and the
/// department and priority filters, on a table aliased `t` that has those
/// two columns (`tickets` or `ticket_counts`). Pushes its parameters.
fn scope(
    member: &Member,
    query: &QueueQuery,
    department_id: Option<i64>,
    params: &mut Vec<Box<dyn ToSql>>,
) -> String {
    let mut sql = String::new();
    if !member.is_admin() {
        params.push(Box::new(member.id));
        sql.push_str(&format!(
            " AND t.department_id IN (SELECT department_id FROM staff_departments WHERE staff_id = ?{})",
            params.len()
        ));
    }
    if let Some(department) = department_id {
        params.push(Box::new(department));
        sql.push_str(&format!(" AND t.department_id = ?{}", params.len()));
    }
    if let Some(priority) = query.priority {
        params.push(Box::new(priority.rank()));
        sql.push_str(&format!(" AND t.priority = ?{}", params.len()));
    }
    sql
}

fn department(conn: &Connection, query: &QueueQuery) -> Result<Option<i64>> {
    match &query.department {
        Some(slug) => Ok(Some(
            tickets::department_id(conn, slug)?.ok_or(Error::NotFound)?,
        )),
        None => Ok(None),
    }
}

/// A page of the queue with its counts, the search (if any) asked once.
pub fn show(
    conn: &Connection,
    member: &Member,
    query: &QueueQuery,
    lang: Lang,
) -> Result<QueuePage> {
    let department_id = department(conn, query)?;
    let search = Search::parse(query.q.as_deref());
    let ranked = query.sort == Sort::Rank;
    let source = match &search {
        Some(search) => search.source(conn, ranked)?,
        None => Source::all(),
    };
    let (tickets, next) = page(conn, member, query, lang, department_id, &search, &source)?;
    let counts = counts(
        conn,
        member,
        query,
        department_id,
        &source,
        search.is_some(),
    )?;
    Ok(QueuePage {
        tickets,
        next,
        counts,
        capped: source.capped,
    })
}

/// One page of the queue and the cursor of the next, if any.
fn page(
    conn: &Connection,
    member: &Member,
    query: &QueueQuery,
    lang: Lang,
    department_id: Option<i64>,
    search: &Option<Search>,
    source: &Source,
) -> Result<(Vec<QueueItem>, Option<String>)> {
    let mut params = source.parameters();
    let mut sql = format!("WHERE {}{}", statuses(query.status), source.condition);
    sql.push_str(&scope(member, query, department_id, &mut params));
    match query.assignee {
        AssigneeFilter::Anyone => {}
        AssigneeFilter::Unassigned => sql.push_str(" AND t.assignee_id IS NULL"),
        AssigneeFilter::Me => {
            params.push(Box::new(member.id));
            sql.push_str(&format!(" AND t.assignee_id = ?{}", params.len()));
        }
    }
    let order = Order::of(query.sort, source.ranked);
    if let Some(after) = &query.after {
        sql.push_str(&order.after(Cursor::decode(after)?, &mut params));
    }
    params.push(Box::new(member.id));
    let me = params.len();
    let statement = format!(
        "SELECT t.id, t.reference, t.subject, t.department_id, t.status, t.priority,
                t.assignee_id, a.name, t.email, t.lang, t.created_at, t.updated_at,
                t.waiting_since, coalesce(t.customer_wrote_at, 0) > coalesce(r.read_at, 0),
                {}
         FROM {}
         LEFT JOIN staff a ON a.id = t.assignee_id
         LEFT JOIN ticket_reads r ON r.ticket_id = t.id AND r.staff_id = ?{me}
         {sql}
         ORDER BY {}
         LIMIT {}",
        order.selected(),
        source.from,
        order.by(),
        QUEUE_PAGE + 1
    );
    let mut rows = Vec::with_capacity(QUEUE_PAGE + 1);
    let mut departments = tickets::DepartmentNames::new(lang);
    let mut prepared = conn.prepare_cached(&statement)?;
    let mut query_rows = prepared.query(params_from_iter(params.iter()))?;
    while let Some(row) = query_rows.next()? {
        let status: String = row.get(4)?;
        let assignee_id: Option<i64> = row.get(6)?;
        let assignee_name: Option<String> = row.get(7)?;
        let lang_code: String = row.get(9)?;
        let department_id: i64 = row.get(3)?;
        let item = QueueItem {
            reference: row.get(1)?,
            subject: row.get(2)?,
            department: departments.get(conn, department_id)?,
            status: Status::parse(&status).unwrap_or(Status::Open),
            priority: Priority::from_rank(row.get(5)?),
            assignee: assignee_id
                .zip(assignee_name)
                .map(|(id, name)| StaffRef { id, name }),
            email: row.get(8)?,
            lang: Lang::from_code(&lang_code).unwrap_or(Lang::DEFAULT),
            created_at: row.get(10)?,
            updated_at: row.get(11)?,
            waiting_since: row.get(12)?,
            unread: row.get(13)?,
            snippet: match search {
                Some(search) => search.snippet(conn, row.get(0)?)?,
                None => None,
            },
        };
        let cursor = Cursor {
            first: row.get(14)?,
            second: row.get(15)?,
            id: row.get(0)?,
        };
        rows.push((item, cursor));
    }
    let next = (rows.len() > QUEUE_PAGE).then(|| rows[QUEUE_PAGE - 1].1.encode());
    rows.truncate(QUEUE_PAGE);
    Ok((rows.into_iter().map(|(item, _)| item).collect(), next))
}

/// Tickets per status (and unassigned / mine among the open ones) with the
/// department and priority filters applied. Without a search they are read
/// from `ticket_counts` (kept by triggers, migration 0008): a few hundred
/// rows whatever the number of tickets. With one, they count the tickets the
/// search looked at.
fn counts(
    conn: &Connection,
    member: &Member,
    query: &QueueQuery,
    department_id: Option<i64>,
    source: &Source,
    searching: bool,
) -> Result<QueueCounts> {
    let mut params = source.parameters();
    let (from, matching, tally) = if searching {
        (source.from, source.condition, "count(*)")
    } else {
        ("ticket_counts t", "", "sum(t.n)")
    };
    let scope = scope(member, query, department_id, &mut params);
    let sql = format!(
        "SELECT t.status, coalesce(t.assignee_id, 0), {tally} FROM {from}
         WHERE t.status <> 'awaiting_confirmation'{matching}{scope}
         GROUP BY 1, 2"
    );
    let mut counts = QueueCounts::default();
    let mut statement = conn.prepare_cached(&sql)?;
    let mut rows = statement.query(params_from_iter(params.iter()))?;
    while let Some(row) = rows.next()? {
        let status: String = row.get(0)?;
        let assignee: i64 = row.get(1)?;
        let n: u64 = row.get::<_, i64>(2)?.try_into().unwrap_or(0);
        match status.as_str() {
            "open" => {
                counts.open += n;
                if assignee == 0 {
                    counts.unassigned += n;
                } else if assignee == member.id {
                    counts.mine += n;
                }
            }
            "answered" => counts.answered += n,
            "closed" => counts.closed += n,
            _ => {}
        }
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = Cursor {
            first: 1_700_000_000,
            second: -3,
            id: 42,
        };
        assert_eq!(Cursor::decode(&cursor.encode()).expect("decode"), cursor);
        for bad in ["", "1_2", "1_2_3_4", "a_b_c", "1_2_x"] {
            assert!(Cursor::decode(bad).is_err(), "{bad}");
        }
    }
}
