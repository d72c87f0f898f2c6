//! Accepting connections. `axum::serve` runs hyper without a timer, so a
//! client that sends half a header, trickles a body or never reads its
//! response could hold a socket for ever; enough of them and the server stops
//! answering. Here every connection is served by hyper's HTTP/1 builder with
//! a timer and these limits (values in `config::Connections`):
//!
//! - headers must arrive within the header timeout, which hyper also applies
//!   while a keep-alive connection waits for its next request (idle timeout);
//! - each chunk of a request body must arrive within the body timeout;
//! - a response the client reads nothing of for the write timeout is dropped;
//! - connections are capped in total (fitted to the open-file limit) and per
//!   client address: a connection past a cap is closed at once;
//! - after SIGTERM no new connection is taken, requests in flight get the
//!   shutdown timeout, then the rest are closed.
//!
//! The counters are per process on purpose: they guard this process's
//! sockets, which another instance does not share.

use std::{
    collections::HashMap,
    future::Future,
    io,
    net::IpAddr,
    pin::Pin,
    sync::{Arc, Mutex},
    task::{Context, Poll},
    time::Duration,
};

use axum::{Router, body::Body, extract::ConnectInfo, http::Request};
use hyper::body::Incoming;
use hyper_util::{
    rt::{TokioIo, TokioTimer},
    server::graceful::GracefulShutdown,
    service::TowerToHyperService,
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
    sync::Semaphore,
    time::Sleep,
};
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

use crate::{config::Connections, routes::client};

/// File descriptors kept free for the database, attachments and SMTP when
/// the connection cap is fitted to the open-file limit.
const RESERVED_FDS: u64 = 64;

/// The largest request line plus headers accepted (answered 431 above it):
/// a browser's head, cookies included, is a few KB; 64 KiB is what common
/// proxies allow at most.
const MAX_HEADER_BYTES: usize = 64 * 1024;

/// Serves `app` on `listener` until `shutdown` resolves, then drains.
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: Connections,
    trusted_proxies: Vec<IpAddr>,
    shutdown: impl Future<Output = ()>,
) {
    let max_total = fit_to_open_file_limit(limits.max_total);
    tracing::info!(
        max_connections = max_total,
        max_per_ip = limits.max_per_ip,
        header_timeout_secs = limits.header_timeout_secs,
        body_timeout_secs = limits.body_timeout_secs,
        write_timeout_secs = limits.write_timeout_secs,
        "accepting connections"
    );
    let total = Arc::new(Semaphore::new(
        usize::try_from(max_total).unwrap_or(usize::MAX),
    ));
    let per_ip = PerIp::new(limits.max_per_ip, trusted_proxies);
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(Duration::from_secs(limits.header_timeout_secs))
        // hyper's own bound on a request head is its read buffer, which is
        // soft: one read can land a whole 800 KB head in a buffer that grew
        // past it. This bound is checked on every parsed head.
        .max_header_size(MAX_HEADER_BYTES)
        .keep_alive(true);
    let body_timeout = Duration::from_secs(limits.body_timeout_secs);
    let write_timeout = Duration::from_secs(limits.write_timeout_secs);

    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    // Out of file descriptors, most often: wait for some
                    // to be closed instead of spinning on the error.
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = total.clone().try_acquire_owned() else {
            tracing::warn!(peer = %peer.ip(), "connection refused: the server is at its connection limit");
            continue;
        };
        let Some(slot) = per_ip.take(peer.ip()) else {
            tracing::warn!(peer = %peer.ip(), "connection refused: too many connections from this address");
            continue;
        };
        let _ = stream.set_nodelay(true);
        let service = app.clone().map_request(move |request: Request<Incoming>| {
            let mut request = request.map(|body| Body::new(TimeoutBody::new(body_timeout, body)));
            request.extensions_mut().insert(ConnectInfo(peer));
            request
        });
        let connection = builder.serve_connection(
            TokioIo::new(WriteDeadline::new(stream, write_timeout)),
            TowerToHyperService::new(service),
        );
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "connection ended with an error");
            }
            drop((permit, slot));
        });
    }
    drop(listener);
    let grace = Duration::from_secs(limits.shutdown_timeout_secs);
    if tokio::time::timeout(grace, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            after_secs = limits.shutdown_timeout_secs,
            "requests still in flight at the shutdown deadline; closing their connections"
        );
    }
}

/// The configured cap, lowered so that connections cannot use up the
/// process's open-file limit (read from `/proc/self/limits` on Linux;
/// elsewhere the configured cap stands).
fn fit_to_open_file_limit(configured: u64) -> u64 {
    let soft_limit = std::fs::read_to_string("/proc/self/limits")
        .ok()
        .and_then(|limits| {
            limits
                .lines()
                .find(|line| line.starts_with("Max open files"))
                .and_then(|line| line.split_whitespace().nth(3)?.parse::<u64>().ok())
        });
    match soft_limit {
        Some(limit) => configured.min(limit.saturating_sub(RESERVED_FDS).max(1)),
        None => configured,
    }
}

/// Open connections per client address.
#[derive(Clone)]
struct PerIp {
    max: u64,
    trusted: Arc<Vec<IpAddr>>,
    open: Arc<Mutex<HashMap<String, u64>>>,
}

/// One open connection counted against its address; uncounted on drop.
struct Slot {
    owner: Option<(PerIp, String)>,
}

impl PerIp {
    fn new(max: u64, trusted: Vec<IpAddr>) -> PerIp {
        PerIp {
            max,
            trusted: Arc::new(trusted),
            open: Arc::default(),
        }
    }

    /// A slot for a new connection from `ip`, or `None` past the cap. A
    /// trusted proxy carries many clients and is not capped.
    fn take(&self, ip: IpAddr) -> Option<Slot> {
        if self.trusted.contains(&ip) {
            return Some(Slot { owner: None });
        }
        let key = client::subject(ip);
        let mut open = self
            .open
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        let count = open.entry(key.clone()).or_default();
        if *count >= self.max {
            return None;
        }
        *count += 1;
        Some(Slot {
            owner: Some((self.clone(), key)),
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Some((per_ip, key)) = self.owner.take() {
            let mut open = per_ip
                .open
                .lock()
                .unwrap_or_else(|poison| poison.into_inner());
            if let Some(count) = open.get_mut(&key) {
                *count -= 1;
                if *count == 0 {
                    open.remove(&key);
                }
            }
        }
    }
}

/// A socket whose writes fail once they have made no progress for `limit`:
/// a client that stops reading its response (a slow download left open)
/// cannot keep the connection and its buffers for ever.
struct WriteDeadline {
    io: TcpStream,
    limit: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl WriteDeadline {
    fn new(io: TcpStream, limit: Duration) -> WriteDeadline {
        WriteDeadline {
            io,
            limit,
            stalled: None,
        }
    }

    /// Called when a write could not proceed: starts the clock, or reports
    /// the stall once it has run out.
    fn stall<T>(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<T>> {
        let limit = self.limit;
        let clock = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match clock.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client read nothing within the write timeout",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }

    fn progress<T>(
        &mut self,
        result: Poll<io::Result<T>>,
        cx: &mut Context<'_>,
    ) -> Poll<io::Result<T>> {
        match result {
            Poll::Pending => self.stall(cx),
            ready => {
                self.stalled = None;
                ready
            }
        }
    }
}

impl AsyncRead for WriteDeadline {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_read(cx, buf)
    }
}

impl AsyncWrite for WriteDeadline {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.io).poll_write(cx, buf);
        this.progress(result, cx)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.io).poll_write_vectored(cx, bufs);
        this.progress(result, cx)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let result = Pin::new(&mut this.io).poll_flush(cx);
        this.progress(result, cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().io).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_connection_cap_fits_the_open_file_limit() {
        // A cap far below any open-file limit stands as configured; the cap
        // under a real `ulimit -n` is tested end to end (tests/e2e/connections.rs).
        assert_eq!(fit_to_open_file_limit(10), 10);
    }

    #[test]
    fn per_address_slots_are_returned_on_drop() {
        let per_ip = PerIp::new(2, vec!["10.0.0.9".parse().expect("ip")]);
        let ip: IpAddr = "192.0.2.7".parse().expect("ip");
        let first = per_ip.take(ip);
        let second = per_ip.take(ip);
        assert!(first.is_some() && second.is_some());
        assert!(
            per_ip.take(ip).is_none(),
            "a third connection is over the cap"
        );
        assert!(per_ip.take("192.0.2.8".parse().expect("ip")).is_some());
        drop(first);
        assert!(
            per_ip.take(ip).is_some(),
            "a closed connection frees its slot"
        );
        let proxy: IpAddr = "10.0.0.9".parse().expect("ip");
        let through_proxy: Vec<_> = (0..5).map(|_| per_ip.take(proxy)).collect();
        assert!(through_proxy.iter().all(Option::is_some));
    }
}
