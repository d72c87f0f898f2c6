//! The live feed: one `EventSource` on `/api/console/events` while a member
//! is signed in. Each event says which ticket changed; pages that show it
//! refetch what they show. The browser reconnects by itself after a drop;
//! events missed meanwhile are unknown, so a reconnect counts as "anything
//! may have changed".

use leptos::prelude::*;
use shared::console::ChangeEvent;
use wasm_bindgen::{JsCast, closure::Closure};
use web_sys::{EventSource, MessageEvent};

/// The feed as pages read it.
#[derive(Clone, Copy)]
pub struct Live {
    /// Goes up with every event (and every reconnect).
    pub tick: ReadSignal<u64>,
    /// The last change; `None` after a reconnect (anything may have changed).
    pub last: ReadSignal<Option<ChangeEvent>>,
}

impl Live {
    /// Whether the last tick may concern the ticket `reference`.
    pub fn concerns(self, reference: &str) -> bool {
        self.last.with_untracked(|last| {
            last.as_ref()
                .is_none_or(|change| change.reference == reference)
        })
    }
}

/// The feed of the signed-in layout (a feed that never ticks elsewhere).
pub fn use_live() -> Live {
    use_context::<Live>().unwrap_or_else(|| {
        let (tick, _) = signal(0);
        let (last, _) = signal(None);
        Live { tick, last }
    })
}

/// Opens the feed for the current owner (closed when it is disposed).
pub fn provide() {
    let (tick, set_tick) = signal(0u64);
    let (last, set_last) = signal(None::<ChangeEvent>);
    provide_context(Live { tick, last });
    let Ok(source) = EventSource::new("/api/console/events") else {
        return;
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let change = event
            .data()
            .as_string()
            .and_then(|data| serde_json::from_str::<ChangeEvent>(&data).ok());
        if let Some(change) = change {
            set_last.set(Some(change));
            set_tick.update(|n| *n += 1);
        }
    });
    // The first `open` is the first connection; later ones are reconnects.
    let mut opened = false;
    let on_open = Closure::<dyn FnMut()>::new(move || {
        if opened {
            set_last.set(None);
            set_tick.update(|n| *n += 1);
        }
        opened = true;
    });
    source.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    source.set_onopen(Some(on_open.as_ref().unchecked_ref()));
    // The handlers live as long as the feed; both go with the owner.
    let kept = StoredValue::new_local((source, on_message, on_open));
    on_cleanup(move || kept.with_value(|(source, _, _)| source.close()));
}
