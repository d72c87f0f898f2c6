//! `pasokh`: reads the configuration, starts logging, serves. A setting or a
//! data folder that is wrong stops it here with a sentence saying what to fix.

use std::process::ExitCode;

use pasokh::{
    cli::{self, Command},
    config::{Config, ConfigError},
};
use tracing_subscriber::filter::LevelFilter;

fn main() -> ExitCode {
    let (command, args) = match cli::parse(std::env::args().skip(1).collect()) {
        Ok(parsed) => parsed,
        Err(error) => {
            eprintln!("pasokh: {error}");
            return ExitCode::from(2);
        }
    };
    let config = match Config::from_env_and_args(args) {
        Ok(config) => config,
        Err(ConfigError::Help) => {
            print!("{}", pasokh::config::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("pasokh: {error}");
            return ExitCode::from(2);
        }
    };
    let level: LevelFilter = config.log_level.parse().unwrap_or(LevelFilter::INFO);
    // An MTA puts what ingest writes on stderr into its bounces: the reason only.
    let level = match command {
        Command::MailIngest => level.min(LevelFilter::WARN),
        _ => level,
    };
    pasokh::ops::logging::init(level, config.ops.log_format, command != Command::Serve);
    tracing::debug!(?config, "configuration");

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("pasokh: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    if command == Command::MailIngest {
        return runtime.block_on(pasokh::inbound::run(&config));
    }
    if command != Command::Serve {
        return match runtime.block_on(cli::staff(command, &config)) {
            Ok(output) => {
                print!("{output}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("pasokh: {error}");
                ExitCode::FAILURE
            }
        };
    }
    match runtime.block_on(pasokh::serve(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("pasokh: {error}");
            ExitCode::FAILURE
        }
    }
}
