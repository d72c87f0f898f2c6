//! The log: key=value lines by default, or one JSON object a line
//! (`PASOKH_LOG_FORMAT=json`) with the event's fields at the top level and
//! the request span (its `request_id`) beside them, for log shippers.

use tracing_subscriber::{filter::LevelFilter, fmt::writer::BoxMakeWriter};

use crate::config::LogFormat;

/// Starts logging. A command's output is its stdout, so its log goes to
/// stderr (`to_stderr`); the server logs to stdout.
pub fn init(level: LevelFilter, format: LogFormat, to_stderr: bool) {
    let writer = if to_stderr {
        BoxMakeWriter::new(std::io::stderr)
    } else {
        BoxMakeWriter::new(std::io::stdout)
    };
    let builder = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(writer);
    match format {
        LogFormat::Text => builder
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
            .init(),
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}
