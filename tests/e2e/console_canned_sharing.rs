//! Moving a canned reply between an admin's own and everyone's: the admin
//! shares one and takes it back, each move seen at once by an agent's list;
//! an agent can never share one of theirs.

use reqwest::StatusCode;

use crate::console_canned::{create, list, reply, titles, update};
use crate::console_kit::Desk;

#[tokio::test]
async fn an_admin_shares_a_reply_and_takes_it_back_and_an_agent_cannot_share() {
    let desk = Desk::start().await;
    let (_, tina) = desk.agent("tina@desk.test", "Tina", &["technical"]).await;
    let admin = &desk.admin;
    let draft = reply("Refund steps", false, &[("en", "Refunds take 5 days.")]);
    let id = create(&desk, admin, draft).await["id"]
        .as_i64()
        .expect("id");
    assert!(
        titles(&list(&desk, &tina).await).is_empty(),
        "the admin's own"
    );

    let shared = reply("Refund steps", true, &[("en", "Refunds take 5 days.")]);
    assert_eq!(update(&desk, admin, id, &shared).await, StatusCode::OK);
    let seen = list(&desk, &tina).await;
    assert_eq!(titles(&seen), ["Refund steps"]);
    assert_eq!(seen[0]["shared"], true);
    assert_eq!(seen[0]["editable"], false, "an agent does not change it");

    let own = reply("Refund steps", false, &[("en", "Refunds take 5 days.")]);
    assert_eq!(update(&desk, admin, id, &own).await, StatusCode::OK);
    assert!(titles(&list(&desk, &tina).await).is_empty(), "taken back");
    assert_eq!(list(&desk, admin).await[0]["shared"], false);

    // An agent's reply stays theirs: sharing is refused and changes nothing.
    let theirs = create(&desk, &tina, reply("Tina's", false, &[("en", "Hi")])).await["id"]
        .as_i64()
        .expect("id");
    let share = reply("Tina's, shared", true, &[("en", "Hi")]);
    assert_eq!(
        update(&desk, &tina, theirs, &share).await,
        StatusCode::FORBIDDEN
    );
    let mine = list(&desk, &tina).await;
    assert_eq!(titles(&mine), ["Tina's"]);
    assert_eq!(mine[0]["shared"], false);
    assert!(
        !titles(&list(&desk, admin).await).contains(&"Tina's"),
        "still private"
    );
}
