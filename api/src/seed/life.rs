//! Made-up tickets with a believable life: created evenly over two years,
//! one to twelve messages taking turns between customer and agent (notes
//! now and then), mostly closed or answered with some still open, a few in
//! customer accounts, attachment rows, and the history a real desk would
//! have written.

use crate::db::seed::{SeedAgent, SeedCustomer, SeedEvent, SeedMessage, SeedTicket, SeedUpload};

use super::words::{Rng, Words};

const DAY: i64 = 24 * 60 * 60;
/// How far back the made-up history goes.
pub const SPAN: i64 = 730 * DAY;

const LANGS: [&str; 3] = ["en", "fa", "ru"];
const LANG_WEIGHTS: [u32; 3] = [45, 35, 20];
/// Weights of 1..=12 messages in a ticket.
const MESSAGE_WEIGHTS: [u32; 12] = [22, 24, 16, 11, 8, 6, 4, 3, 2, 2, 1, 1];
/// Low, normal, high, urgent.
const PRIORITY_WEIGHTS: [u32; 4] = [15, 60, 18, 7];
const DOMAINS: [&str; 8] = [
    "gmail.com",
    "yahoo.com",
    "outlook.com",
    "mail.ru",
    "yandex.ru",
    "chmail.ir",
    "example.org",
    "proton.me",
];
const FIRST_NAMES: [&str; 12] = [
    "ali", "sara", "reza", "maryam", "olga", "ivan", "john", "emma", "hossein", "natasha", "david",
    "zahra",
];
const FILES: [(&str, &str); 4] = [
    ("screenshot.png", "image/png"),
    ("receipt.pdf", "application/pdf"),
    ("passport.jpg", "image/jpeg"),
    ("statement.pdf", "application/pdf"),
];

pub struct Generator {
    rng: Rng,
    words: [Words; 3],
    agents: Vec<SeedAgent>,
    departments: Vec<i64>,
    /// The first id of this run's tickets, and how many there will be.
    first_ticket: i64,
    total: i64,
    next_message: i64,
    first_customer: i64,
    customers: i64,
    addresses: u64,
    now: i64,
}

impl Generator {
    #[allow(clippy::too_many_arguments, reason = "set once, by the one caller")]
    pub fn new(
        seed: u64,
        agents: Vec<SeedAgent>,
        departments: Vec<i64>,
        first_ticket: i64,
        total: i64,
        next_message: i64,
        first_customer: i64,
        now: i64,
    ) -> Generator {
        Generator {
            rng: Rng::new(seed),
            words: [
                Words::new(include_str!("../../data/seed-words-en.txt"), true, "?"),
                Words::new(include_str!("../../data/seed-words-fa.txt"), false, "؟"),
                Words::new(include_str!("../../data/seed-words-ru.txt"), true, "?"),
            ],
            agents,
            departments,
            first_ticket,
            total: total.max(1),
            next_message,
            first_customer,
            customers: (total / 25).max(1),
            addresses: (total as u64 / 3).max(1),
            now,
        }
    }

    /// How many messages this generator has made since `first`.
    pub fn messages_written(&self, first: i64) -> i64 {
        self.next_message - first
    }

    /// The customer accounts that some tickets belong to.
    pub fn customers(&mut self) -> Vec<SeedCustomer> {
        (0..self.customers)
            .map(|i| {
                let lang = LANGS[self.rng.weighted(&LANG_WEIGHTS)];
                let name = FIRST_NAMES[self.rng.below(FIRST_NAMES.len() as u64) as usize];
                SeedCustomer {
                    id: self.first_customer + i,
                    email: account_email(self.first_customer + i),
                    name: format!("{name} {}", self.first_customer + i),
                    lang,
                    created_at: self.now - SPAN - DAY + i,
                }
            })
            .collect()
    }

    /// A reference unique per ticket id: the id through a bijection of
    /// 0..10^10 (an odd multiplier not divisible by 5), so it looks random.
    fn reference(id: i64) -> String {
        let n = (id as u64)
            .wrapping_mul(6_364_136_223)
            .wrapping_add(1_442_695_040)
            % 10_000_000_000;
        let digits = format!("{n:010}");
        format!("{}-{}", &digits[..5], &digits[5..])
    }

    fn agent_for(&mut self, department: i64) -> Option<(i64, String)> {
        let covering: Vec<&SeedAgent> = self
            .agents
            .iter()
            .filter(|a| a.departments.contains(&department))
            .collect();
        let list = if covering.is_empty() {
            self.agents.iter().collect()
        } else {
            covering
        };
        if list.is_empty() {
            return None;
        }
        let agent = list[self.rng.below(list.len() as u64) as usize];
        Some((agent.id, agent.name.clone()))
    }

    /// The `index`-th ticket of this run (0-based).
    pub fn ticket(&mut self, index: i64) -> SeedTicket {
        let id = self.first_ticket + index;
        let rng = &mut self.rng;
        let step = (SPAN / self.total).max(1);
        let created_at = (self.now - SPAN + index * SPAN / self.total + rng.between(0, step - 1))
            .min(self.now - 60);
        let lang_index = rng.weighted(&LANG_WEIGHTS);
        let department_id = self.departments[rng.below(self.departments.len() as u64) as usize];
        let priority = rng.weighted(&PRIORITY_WEIGHTS) as i64;
        let (email, customer_id) = if rng.chance(0.15) {
            let k = self.first_customer + rng.below(self.customers as u64) as i64;
            (account_email(k), Some(k))
        } else {
            let k = rng.below(self.addresses);
            let name = FIRST_NAMES[(k % FIRST_NAMES.len() as u64) as usize];
            let domain = DOMAINS[((k / 7) % DOMAINS.len() as u64) as usize];
            (format!("{name}{k}@{domain}"), None)
        };
        let count = 1 + rng.weighted(&MESSAGE_WEIGHTS);
        let words = &self.words[lang_index];
        let mut subject = words.subject(rng);
        if department_id == 3 && rng.chance(0.3) {
            // A transaction number: a word found in one ticket only.
            subject.push_str(&format!(" {}", 10_000_000 + rng.below(89_999_999)));
        }
        let assignee = if rng.chance(0.85) {
            self.agent_for(department_id)
        } else {
            None
        };
        let rng = &mut self.rng;
        let words = &self.words[lang_index];
        let confirmed_at = created_at
            + if customer_id.is_some() {
                0
            } else {
                rng.between(20, 900)
            };
        let mut ticket = SeedTicket {
            id,
            reference: Self::reference(id),
            department_id,
            email,
            customer_id,
            subject,
            status: "open",
            lang: LANGS[lang_index],
            priority,
            assignee_id: assignee.as_ref().map(|a| a.0),
            created_at,
            confirmed_at,
            updated_at: created_at,
            closed_at: None,
            waiting_since: Some(created_at),
            customer_wrote_at: Some(created_at),
            last_answer_id: None,
            customer_seen_id: None,
            messages: Vec::with_capacity(count),
            events: Vec::with_capacity(count + 3),
            uploads: Vec::new(),
        };
        ticket
            .events
            .push(event("created", "customer", None, created_at));
        ticket
            .events
            .push(event("confirmed", "customer", None, confirmed_at));
        if let Some((staff_id, name)) = &assignee {
            let mut assigned = event("assigned", "staff", Some(*staff_id), confirmed_at + 60);
            assigned.detail = Some(name.clone());
            ticket.events.push(assigned);
        }
        let staff_id = assignee.as_ref().map(|a| a.0);
        let mut at = created_at;
        let mut customer_turn = true;
        for i in 0..count {
            if i > 0 {
                at += if customer_turn {
                    rng.spread(3_600, 5 * DAY)
                } else {
                    rng.spread(600, 2 * DAY)
                };
            }
            if at > self.now - 60 {
                break;
            }
            let message_id = self.next_message;
            self.next_message += 1;
            let internal = !customer_turn && staff_id.is_some() && rng.chance(0.06);
            let author = if customer_turn { "customer" } else { "agent" };
            if !customer_turn && staff_id.is_none() {
                // Nobody took it: the customer writes again.
                customer_turn = true;
                self.next_message -= 1;
                continue;
            }
            if rng.chance(if customer_turn { 0.10 } else { 0.03 }) {
                let (name, content_type) = FILES[rng.below(FILES.len() as u64) as usize];
                ticket.uploads.push(SeedUpload {
                    id: format!("{:016x}{:016x}", rng.next(), rng.next()),
                    file_name: name.to_owned(),
                    content_type,
                    size: rng.spread(20_000, 4_000_000),
                    message_id,
                    created_at: at,
                });
            }
            ticket.messages.push(SeedMessage {
                id: message_id,
                author,
                staff_id: if customer_turn { None } else { staff_id },
                internal,
                body: words.body(rng),
                created_at: at,
            });
            ticket.updated_at = at;
            if customer_turn {
                ticket.customer_wrote_at = Some(at);
                if ticket.status != "open" {
                    ticket.waiting_since = Some(at);
                }
                ticket.status = "open";
            } else if internal {
                ticket
                    .events
                    .push(event("note_added", "staff", staff_id, at));
            } else {
                ticket.events.push(event("replied", "staff", staff_id, at));
                ticket.last_answer_id = Some(message_id);
                ticket.status = "answered";
                ticket.waiting_since = None;
            }
            // After a note the agent still owes the answer.
            if !internal {
                customer_turn = !customer_turn;
            }
        }
        // Old conversations are closed (a few are forgotten), recent ones
        // may still be running. An answered one quiet for over a week is
        // always closed, as auto-close (on by default, 7 days) would have:
        // the first start on a seeded desk finds nothing left to close.
        let quiet = self.now - ticket.updated_at;
        let close = if quiet > 7 * DAY && ticket.status == "answered" {
            true
        } else if quiet > 30 * DAY {
            rng.chance(0.985)
        } else if quiet > 7 * DAY {
            rng.chance(0.4)
        } else {
            rng.chance(0.1)
        };
        if close {
            let closed_at = (ticket.updated_at + rng.spread(600, 3 * DAY)).min(self.now - 30);
            let by_customer = rng.chance(0.4);
            let (kind, actor, who) = if by_customer {
                ("closed", "customer", None)
            } else {
                ("status_changed", "staff", staff_id)
            };
            let mut closed = event(kind, actor, who, closed_at.max(ticket.updated_at));
            if !by_customer {
                closed.detail = Some("closed".to_owned());
            }
            ticket.events.push(closed);
            ticket.closed_at = Some(closed_at.max(ticket.updated_at));
            ticket.updated_at = closed_at.max(ticket.updated_at);
            ticket.status = "closed";
            ticket.waiting_since = None;
        }
        if ticket.status == "closed" || rng.chance(0.7) {
            ticket.customer_seen_id = ticket.last_answer_id;
        }
        ticket
    }
}

fn event(
    kind: &'static str,
    actor: &'static str,
    staff_id: Option<i64>,
    created_at: i64,
) -> SeedEvent {
    SeedEvent {
        kind,
        actor,
        staff_id,
        detail: None,
        created_at,
    }
}

/// The address of the seeded customer account `id`.
fn account_email(id: i64) -> String {
    format!("customer{id}@account.example")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tickets_have_a_consistent_history() {
        let agents = vec![SeedAgent {
            id: 1,
            name: "Ana".into(),
            departments: vec![1, 2, 3, 4],
        }];
        let now = 1_800_000_000;
        let mut generator = Generator::new(3, agents, vec![1, 2, 3, 4], 1, 2_000, 1, 1, now);
        let mut references = std::collections::HashSet::new();
        for i in 0..2_000 {
            let t = generator.ticket(i);
            assert!(references.insert(t.reference.clone()));
            assert!(!t.messages.is_empty() && t.messages.len() <= 12);
            assert!(t.created_at >= now - SPAN && t.updated_at <= now);
            assert!(
                t.messages
                    .windows(2)
                    .all(|w| w[0].created_at <= w[1].created_at)
            );
            assert_eq!(t.messages[0].author, "customer");
            assert_eq!(
                t.waiting_since.is_some(),
                t.status == "open",
                "{}",
                t.status
            );
            assert_eq!(t.closed_at.is_some(), t.status == "closed");
        }
    }
}
