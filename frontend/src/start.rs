//! How both apps start without holding the browser's main thread in one
//! long task.
//!
//! Leptos drives its effects with wasm-bindgen-futures, which runs every
//! spawned future in the microtask queue. The app's first render — the
//! mount, then each effect and route it spawns, then theirs — therefore ran
//! as one task of 60–120 ms (230–460 ms at Lighthouse's 4× CPU), together
//! with the end of the wasm's compile: the page could not answer a tap for
//! that long, and Lighthouse counted all but 50 ms of it as blocking time.
//!
//! Here the mount waits for a task of its own, and so does the first poll of
//! every future spawned while the app starts: the browser gets the thread
//! back between them. Later polls, and everything spawned once the app is
//! shown, go to the microtask queue as before, so a click's effects still
//! land before the next frame.
//!
//! A frame painted between those tasks must not show a half-built app. The
//! static first screen (`.shell`, api/build/shell.rs) therefore stays, and
//! the stylesheet hides whatever follows it (`.shell ~ *`), until no
//! start-up future is left unpolled; then the shell goes in one task, so
//! the app takes its place as whole as it did when it was built in one task.

use std::{cell::Cell, future::poll_fn};

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use leptos::{IntoView, prelude::document};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::{JsFuture, spawn_local};

thread_local! {
    /// Start-up futures spawned and not yet polled once, the mount counted;
    /// `None` once the app is shown.
    static UNSTARTED: Cell<Option<u32>> = const { Cell::new(Some(1)) };
}

/// Mounts `app` to the body in steps (see the module's comment) and shows
/// it in place of the static shell once it is complete.
pub fn mount<F, N>(app: F)
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    // Leptos's own mount then keeps this executor (it only sets its default
    // when none is set).
    let _ = Executor::init_custom_executor(Startup);
    spawn_local(async move {
        next_task().await;
        leptos::mount::mount_to_body(app);
        one_started();
    });
}

/// The executor Leptos spawns on: wasm-bindgen-futures, with a task's first
/// poll in a task of its own while the app starts.
struct Startup;

impl CustomExecutor for Startup {
    // The browser has one thread: a `Send` future is spawned like any other.
    fn spawn(&self, future: PinnedFuture<()>) {
        self.spawn_local(future);
    }

    fn spawn_local(&self, mut future: PinnedLocalFuture<()>) {
        let Some(unstarted) = UNSTARTED.get() else {
            spawn_local(future);
            return;
        };
        UNSTARTED.set(Some(unstarted + 1));
        spawn_local(async move {
            next_task().await;
            let mut first = true;
            poll_fn(|cx| {
                let poll = future.as_mut().poll(cx);
                if std::mem::take(&mut first) {
                    one_started();
                }
                poll
            })
            .await;
        });
    }

    fn poll_local(&self) {}
}

/// Counts one start-up future polled; when none is left, checks again a
/// task later — the microtasks of this one may spawn more — and shows the
/// app if still none is.
fn one_started() {
    let Some(unstarted) = UNSTARTED.get() else {
        return;
    };
    let unstarted = unstarted.saturating_sub(1);
    UNSTARTED.set(Some(unstarted));
    if unstarted == 0 {
        spawn_local(async {
            next_task().await;
            if UNSTARTED.get() == Some(0) {
                UNSTARTED.set(None);
                show();
            }
        });
    }
}

/// Removes the static shell, which uncovers the app (static/style.css).
fn show() {
    if let Some(shell) = document().query_selector(".shell").ok().flatten() {
        shell.remove();
    }
}

/// Resolves in a task of its own: a message to itself through a fresh
/// `MessageChannel`, which unlike `setTimeout(0)` is never clamped to 4 ms
/// when nested. (A port with a listener and a message queued is kept alive
/// by the browser until the message is delivered.)
async fn next_task() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Ok(channel) = web_sys::MessageChannel::new() {
            channel.port1().set_onmessage(Some(&resolve));
            if channel.port2().post_message(&JsValue::UNDEFINED).is_ok() {
                return;
            }
        }
        // Without a channel, go on at once (a microtask) rather than never.
        let _ = resolve.call0(&JsValue::UNDEFINED);
    });
    let _ = JsFuture::from(promise).await;
}
