//! Settings for running the desk (read from the environment only, like the
//! other operational limits): where `/metrics` listens and the log format.

use std::net::SocketAddr;

use super::ConfigError;

/// `PASOKH_LOG_FORMAT`: `text` (default, key=value lines) or `json` (one
/// object a line, for log shippers).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Ops {
    /// `PASOKH_METRICS_LISTEN`: address of the `/metrics` listener (off
    /// unless set; keep it private, e.g. 127.0.0.1:9090).
    pub metrics_listen: Option<SocketAddr>,
    pub log_format: LogFormat,
}

pub fn parse(env: &impl Fn(&str) -> Option<String>) -> Result<Ops, ConfigError> {
    let metrics_listen = env("PASOKH_METRICS_LISTEN")
        .filter(|value| !value.trim().is_empty())
        .map(|value| {
            value.trim().parse().map_err(|_| {
                ConfigError::Invalid(format!(
                    "PASOKH_METRICS_LISTEN must be an address and port such as 127.0.0.1:9090, got {value:?}"
                ))
            })
        })
        .transpose()?;
    let log_format = match env("PASOKH_LOG_FORMAT").as_deref().map(str::trim) {
        None | Some("") | Some("text") => LogFormat::Text,
        Some("json") => LogFormat::Json,
        Some(other) => {
            return Err(ConfigError::Invalid(format!(
                "PASOKH_LOG_FORMAT must be text or json, got {other:?}"
            )));
        }
    };
    Ok(Ops {
        metrics_listen,
        log_format,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(pairs: &[(&str, &str)]) -> Result<Ops, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        parse(&move |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn metrics_are_off_and_logs_text_unless_asked() {
        assert_eq!(ops(&[]).expect("defaults"), Ops::default());
        let set = ops(&[
            ("PASOKH_METRICS_LISTEN", "127.0.0.1:9090"),
            ("PASOKH_LOG_FORMAT", "json"),
        ])
        .expect("valid");
        assert_eq!(set.metrics_listen.map(|a| a.port()), Some(9090));
        assert_eq!(set.log_format, LogFormat::Json);
        for bad in [
            ("PASOKH_METRICS_LISTEN", "9090"),
            ("PASOKH_LOG_FORMAT", "xml"),
        ] {
            let error = ops(&[bad]).expect_err("invalid").to_string();
            assert!(error.contains(bad.0), "{error}");
        }
    }
}
