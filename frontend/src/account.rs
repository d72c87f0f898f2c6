//! Who is signed in on the customer side: the account context (loaded once,
//! again after signing in or out and on every route change, so the header's
//! unread badge follows), and the account's language as the interface's.

use leptos::prelude::*;
use leptos_router::hooks::use_location;
use shared::account::{Account, AccountUpdate};

use crate::{
    api::{self, ApiError},
    i18n::use_i18n,
};

/// The signed-in customer, as `GET /api/account/session` last answered
/// (`None` until it first answers; `Some(Ok(None))` signed out). A plain signal loaded by hand rather than a
/// `LocalResource`: it is refetched on every route change, and an answer
/// overtaken by a newer load or by `set` (signing in) must be dropped.
#[derive(Clone, Copy)]
pub struct Session {
    me: RwSignal<Option<Result<Option<Account>, ApiError>>>,
    /// Counts loads and sets; an answer is kept only if it is the latest.
    generation: StoredValue<u32>,
}

impl Session {
    /// The account, if someone is signed in (tracked).
    pub fn account(self) -> Option<Account> {
        self.me.with(signed_in_account)
    }

    /// `Some(true)` signed in, `Some(false)` signed out, `None` not known
    /// yet (or the server could not say).
    pub fn signed_in(self) -> Option<bool> {
        self.me.with(|me| match me {
            Some(Ok(account)) => Some(account.is_some()),
            _ => None,
        })
    }

    /// What the server answered after signing in, verifying, saving.
    pub fn set(self, account: Account) {
        self.generation.update_value(|g| *g += 1);
        self.me.set(Some(Ok(Some(account))));
    }

    /// Asks the server again (after signing out, on a route change); what
    /// is shown stays until the answer comes.
    pub fn refetch(self) {
        self.generation.update_value(|g| *g += 1);
        let asked = self.generation.get_value();
        let answer = api::account::session();
        leptos::task::spawn_local(async move {
            let answer = answer.await;
            if self.generation.try_get_value() == Some(asked) {
                self.me.set(Some(answer));
            }
        });
    }
}

fn signed_in_account(me: &Option<Result<Option<Account>, ApiError>>) -> Option<Account> {
    me.as_ref()
        .and_then(|answer| answer.as_ref().ok())
        .and_then(Option::clone)
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// Loads the account and provides it; inside the router, so that a route
/// change refetches it. While signed in, the interface speaks the account's
/// language, and the language switcher's choice is saved to the account.
pub fn provide() -> Session {
    let i18n = use_i18n();
    let session = Session {
        me: RwSignal::new(None),
        generation: StoredValue::new(0),
    };
    provide_context(session);

    // Loads now, and again whenever the page changes.
    let location = use_location();
    Effect::new(move |_| {
        // Read, not only tracked: a memo nobody read never computes, and
        // then never hears of its source changing.
        location.pathname.with(|_| ());
        session.refetch();
    });

    // The account's language, when it changes (signing in, saving settings).
    let account_lang = Memo::new(move |_| session.account().map(|a| a.lang));
    Effect::new(move |_| {
        if let Some(lang) = account_lang.get()
            && lang != i18n.lang.get_untracked()
        {
            i18n.choose(lang);
        }
    });

    // The switcher's choice (the interface language changing while the
    // account has another) goes to the account.
    let save = Action::new_local(|update: &AccountUpdate| api::account::update(update));
    Effect::new(move |first: Option<()>| {
        let lang = i18n.lang.get();
        let Some(account) = session.me.with_untracked(signed_in_account) else {
            return;
        };
        if first.is_some() && account.lang != lang {
            session.set(Account {
                lang,
                ..account.clone()
            });
            save.dispatch(AccountUpdate {
                name: account.name,
                lang,
                notify_replies: account.notify_replies,
            });
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(account)) = save.value().get() {
            session.set(account);
        }
    });
    session
}
