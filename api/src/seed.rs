//! `pasokh seed --tickets N`: fills a data folder with made-up but realistic
//! tickets (English, Persian and Russian text, two years of history) for
//! measuring the console at scale. Run it before serving, never on a live
//! desk: it refuses a database that already has tickets unless `--append`.
//! The same `--seed` gives the same tickets.

mod life;
mod words;

use std::time::Instant;

use crate::{
    config::{Config, ConfigError},
    db::{self, Db, seed as rows},
    error::{Error, StartupError},
};

/// Tickets written per transaction.
const BATCH: i64 = 5_000;

/// The agents added when the desk has none (they get no password).
const AGENTS: [(&str, &str); 6] = [
    ("sara.ahmadi@seed.invalid", "Sara Ahmadi"),
    ("reza.karimi@seed.invalid", "Reza Karimi"),
    ("olga.ivanova@seed.invalid", "Olga Ivanova"),
    ("john.miller@seed.invalid", "John Miller"),
    ("maryam.hosseini@seed.invalid", "Maryam Hosseini"),
    ("dmitry.sokolov@seed.invalid", "Dmitry Sokolov"),
];

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub struct SeedOptions {
    pub tickets: i64,
    pub seed: u64,
    pub append: bool,
}

pub const SEED_USAGE: &str = "\
USAGE: pasokh seed --tickets N [--seed S] [--append] [--data-dir DIR]
Fills the database with N made-up tickets (messages, history, attachment rows,
customer accounts; agents too if there are none) spread over the last two years.
The same --seed (default 1) gives the same data. A database that already has
tickets is refused unless --append is given. Not for a live desk.
";

/// `seed` and its flags; the server flags (--data-dir) are left over.
pub fn parse(args: Vec<String>) -> Result<(SeedOptions, Vec<String>), ConfigError> {
    let invalid = |message: &str| ConfigError::Invalid(format!("{message}\n\n{SEED_USAGE}"));
    let mut options = SeedOptions {
        tickets: 0,
        seed: 1,
        append: false,
    };
    let mut rest = Vec::new();
    let mut args = args.into_iter().skip(1);
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg.clone(), None),
        };
        match flag.as_str() {
            "--append" => options.append = true,
            "--tickets" | "--seed" => {
                let value = inline
                    .or_else(|| args.next())
                    .ok_or_else(|| invalid(&format!("{flag} needs a value")))?;
                let number: u64 = value.replace('_', "").parse().map_err(|_| {
                    invalid(&format!("{flag} must be a whole number, got {value:?}"))
                })?;
                if flag == "--seed" {
                    options.seed = number;
                } else {
                    options.tickets = i64::try_from(number)
                        .ok()
                        .filter(|n| (1..=100_000_000).contains(n))
                        .ok_or_else(|| invalid("--tickets must be 1 to 100000000"))?;
                }
            }
            _ => rest.push(arg),
        }
    }
    if options.tickets == 0 {
        return Err(invalid("--tickets is required"));
    }
    Ok((options, rest))
}

/// Seeds the data folder; returns the summary to print. Progress goes to
/// stderr.
pub async fn run(options: SeedOptions, config: &Config) -> Result<String, StartupError> {
    let db_path = config.data_dir.join("pasokh.db");
    std::fs::create_dir_all(&config.data_dir).map_err(|source| StartupError::DataDir {
        path: config.data_dir.clone(),
        source,
    })?;
    let db = Db::open(&db_path).map_err(|cause| StartupError::Database {
        path: db_path.clone(),
        cause,
    })?;
    let fail = |error: Error| StartupError::Command(format!("seeding failed: {error}"));
    let started = Instant::now();
    let now = db::now();
    let start = db
        .write(|conn| {
            rows::tune(conn)?;
            rows::start(conn)
        })
        .await
        .map_err(fail)?;
    if start.tickets > 0 && !options.append {
        return Err(StartupError::Command(format!(
            "{} already has {} tickets; seed an empty data folder, or add --append to add to them",
            db_path.display(),
            start.tickets
        )));
    }
    let departments = start.departments.clone();
    let agents = db
        .write(move |conn| rows::agents(conn, &AGENTS, &departments, now))
        .await
        .map_err(fail)?;
    let mut generator = life::Generator::new(
        options.seed,
        agents,
        start.departments.clone(),
        start.next_ticket,
        options.tickets,
        start.next_message,
        start.next_customer,
        now,
    );
    // Seeded accounts get a password nobody knows.
    let hash =
        crate::auth::password::hash(&crate::secrets::token().map_err(fail)?).map_err(fail)?;
    let customers = generator.customers();
    let accounts = customers.len();
    db.write(move |conn| rows::insert_customers(conn, &customers, &hash))
        .await
        .map_err(fail)?;

    // Generating the next batch overlaps with writing the previous one.
    let mut pending: Option<tokio::task::JoinHandle<crate::error::Result<()>>> = None;
    let mut done = 0;
    let mut reported = 0;
    while done < options.tickets {
        let size = BATCH.min(options.tickets - done);
        let batch: Vec<rows::SeedTicket> =
            (done..done + size).map(|i| generator.ticket(i)).collect();
        if let Some(previous) = pending.take() {
            previous.await.map_err(|e| fail(e.into()))?.map_err(fail)?;
        }
        let writer = db.clone();
        pending = Some(tokio::spawn(async move {
            writer
                .write(move |conn| rows::insert_tickets(conn, &batch))
                .await
        }));
        done += size;
        if done - reported >= (options.tickets / 20).max(BATCH) || done == options.tickets {
            reported = done;
            eprintln!(
                "seeded {done} of {} tickets in {:.1} s",
                options.tickets,
                started.elapsed().as_secs_f64()
            );
        }
    }
    if let Some(previous) = pending.take() {
        previous.await.map_err(|e| fail(e.into()))?.map_err(fail)?;
    }
    let messages = generator.messages_written(start.next_message);
    let elapsed = started.elapsed().as_secs_f64();
    drop(db);
    let bytes: u64 = ["pasokh.db", "pasokh.db-wal"]
        .iter()
        .filter_map(|name| std::fs::metadata(config.data_dir.join(name)).ok())
        .map(|m| m.len())
        .sum();
    Ok(format!(
        "Seeded {} tickets with {messages} messages and {accounts} customer accounts in {elapsed:.1} s ({:.0} tickets/s); the database is {:.1} MB: {}\n",
        options.tickets,
        options.tickets as f64 / elapsed.max(0.001),
        bytes as f64 / 1_048_576.0,
        db_path.display()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn seed_takes_its_flags_and_leaves_the_server_ones() {
        let (options, rest) = parse(args(&[
            "seed",
            "--tickets",
            "1_000",
            "--seed=9",
            "--append",
            "--data-dir",
            "/tmp/x",
        ]))
        .expect("valid");
        assert_eq!(
            options,
            SeedOptions {
                tickets: 1000,
                seed: 9,
                append: true
            }
        );
        assert_eq!(rest, args(&["--data-dir", "/tmp/x"]));
        for (list, needle) in [
            (vec!["seed"], "--tickets is required"),
            (vec!["seed", "--tickets", "lots"], "whole number"),
            (vec!["seed", "--tickets", "0"], "1 to"),
            (vec!["seed", "--tickets"], "needs a value"),
        ] {
            let error = parse(args(&list)).expect_err("invalid").to_string();
            assert!(error.contains(needle), "{error}");
        }
    }
}
