//! The index pages' language-dependent parts, written from the locale files:
//! `<html lang dir>`, the title, the description, `noindex`, the manifest
//! link, and the static first screen the app takes over from — the same
//! frame and (for the home page, `/new` and `/find`) the same first elements
//! as the app's own markup, so nothing moves when the wasm starts.
//! Mirrors `frontend/src/app.rs` (frame) and `frontend/src/pages/home.rs`;
//! `tests/e2e/first_load.rs` compares them in Chromium.

use shared::{
    html::escape,
    i18n::{Key, Lang},
    pages::{Page, WIZARD_STEPS, manifest_file},
};

/// The brand colour (`--accent` in static/style.css, the favicon's square):
/// `theme-color`, the manifest and the icons.
pub const BRAND: &str = "#0b5cad";

/// One index page: `template` (placeholders already filled but the
/// language's) for `page` in `lang`, titled `title`.
pub fn index_page(template: &str, page: Page, lang: Lang, title: &str) -> String {
    let robots = if page.indexed() {
        ""
    } else {
        "<meta name=\"robots\" content=\"noindex\">"
    };
    template
        .replace(
            "<html lang=\"en\" dir=\"ltr\">",
            &format!(
                "<html lang=\"{}\" dir=\"{}\">",
                lang.code(),
                lang.dir().as_str()
            ),
        )
        .replace("{{title}}", &escape(title))
        .replace("{{description}}", &escape(Key::HomeIntro.text(lang)))
        .replace("{{robots}}", robots)
        .replace("{{brand}}", BRAND)
        .replace("{{manifest}}", &manifest_file(lang))
        .replace("{{preload}}", preload(lang))
        .replace("{{favicon}}", &favicon())
        .replace("{{shell}}", &shell(page, lang))
}

/// The favicon inside the page (a `data:` URL of 0.2 KB, which the CSP's
/// `img-src` allows): one request fewer on every first load.
fn favicon() -> String {
    let svg = include_str!("../../static/favicon.svg")
        .trim()
        .replace('"', "'")
        .replace('#', "%23")
        .replace('<', "%3C")
        .replace('>', "%3E");
    format!("<link rel=\"icon\" href=\"data:image/svg+xml,{svg}\" type=\"image/svg+xml\">")
}

/// Persian pages ask for Vazirmatn with the stylesheet instead of once the
/// text is laid out. With `font-display: optional` (static/style.css) a
/// preloaded font that arrives in time is used from the first paint and one
/// that does not is not swapped in later: either way no line moves (a swap
/// re-wraps the header and moved the whole page, CLS 0.03).
fn preload(lang: Lang) -> &'static str {
    match lang {
        Lang::Fa => {
            "<link rel=\"preload\" href=\"/static/vazirmatn-arabic.woff2\" as=\"font\" \
             type=\"font/woff2\" crossorigin>"
        }
        _ => "",
    }
}

/// The frame of `frontend/src/app.rs` (skip link, header with the signed-out
/// visitor's account link, language select) around the
/// page's first screen, and the sentence a browser without JavaScript shows.
fn shell(page: Page, lang: Lang) -> String {
    let t = |key: Key| escape(key.text(lang));
    let options: String = Lang::ALL
        .iter()
        .map(|&option| {
            format!(
                "<option value=\"{code}\" lang=\"{code}\"{selected}>{name}</option>",
                code = option.code(),
                selected = if option == lang { " selected" } else { "" },
                name = escape(Key::MetaName.text(option)),
            )
        })
        .collect();
    format!(
        "<div class=\"shell\">\
         <a class=\"skip-link\" href=\"#main\">{skip}</a>\
         <header class=\"topbar\"><nav aria-label=\"{nav}\">\
         <a href=\"/\" class=\"brand\"><span class=\"brand-mark\" aria-hidden=\"true\"></span>{name}</a>\
         <a href=\"/find\" class=\"nav-link\">{find}</a>\
         <a href=\"/account/sign-in\" class=\"nav-link\">{sign_in}</a>\
         <div class=\"language\"><label for=\"language\">{language}</label><select id=\"language\">{options}</select></div>\
         </nav></header>\
         <main id=\"main\" tabindex=\"-1\">\
         <noscript><div class=\"notice notice-error\"><p>{noscript}</p></div></noscript>\
         {screen}\
         </main></div>",
        skip = t(Key::SkipToContent),
        nav = t(Key::NavMain),
        name = t(Key::AppName),
        find = t(Key::FindTicket),
        sign_in = t(Key::SignIn),
        language = t(Key::Language),
        noscript = t(Key::Noscript),
        screen = first_screen(page, lang),
    )
}

/// What the app's page draws first: all of the home page (it is static
/// text), the wizard's first step down to its first choice on `/new`, the heading
/// of `/find` and of the account's sign-in, sign-up and forgotten-password
/// pages, nothing for pages that load what they show.
fn first_screen(page: Page, lang: Lang) -> String {
    let t = |key: Key| escape(key.text(lang));
    let Some(heading) = page.heading() else {
        return String::new();
    };
    match page {
        Page::Home => format!(
            "<section class=\"hero\"><h1>{heading}</h1><p class=\"lead\">{intro}</p>\
             <a href=\"/new\" class=\"button primary big\">{new}</a></section>\
             <section class=\"card\"><h2>{steps}</h2><ol class=\"how\">\
             <li>{step1}</li><li>{step2}</li><li>{step3}</li></ol><p>{after}</p></section>\
             <p class=\"find-line\">{find_intro} <a href=\"/find\">{find}</a></p>",
            heading = t(heading),
            intro = t(Key::HomeIntro),
            new = t(Key::NewTicket),
            steps = t(Key::HomeStepsTitle),
            step1 = t(Key::HomeStep1),
            step2 = t(Key::HomeStep2),
            step3 = t(Key::HomeStep3),
            after = t(Key::HomeAfter),
            find_intro = t(Key::HomeFindIntro),
            find = t(Key::FindTicket),
        ),
        // The wizard's first step down to its first choice, the email
        // channel (the default), whose two-line explanation is the largest
        // text on the screen: the rest comes with the app, below it.
        Page::NewTicket => {
            let number = |n: usize| lang.digits(&n.to_string());
            let steps: String = WIZARD_STEPS
                .iter()
                .enumerate()
                .map(|(i, key)| match i {
                    0 => format!(
                        "<li class=\"current\" aria-current=\"step\">{}</li>",
                        t(*key)
                    ),
                    _ => format!("<li class=\"\">{}</li>", t(*key)),
                })
                .collect();
            format!(
                "<h1>{heading}</h1><p class=\"progress-text\">{progress}</p>\
                 <ol class=\"steps\" aria-label=\"{steps_label}\">{steps}</ol>\
                 <div role=\"alert\" class=\"notice notice-error\"></div>\
                 <form class=\"card wizard\" novalidate><fieldset><legend>\
                 <h2 id=\"step-title\" tabindex=\"-1\">{title}</h2></legend>\
                 <div class=\"choice\"><input type=\"radio\" id=\"channel-email\" name=\"channel\" \
                 aria-describedby=\"channel-email-hint\" checked>\
                 <label for=\"channel-email\">{email}</label>\
                 <p class=\"hint\" id=\"channel-email-hint\">{email_hint}</p></div>\
                 </fieldset></form>",
                heading = t(heading),
                progress = escape(&Key::WizardProgress.fill(
                    lang,
                    &[("step", &number(1)), ("total", &number(WIZARD_STEPS.len()))]
                )),
                steps_label = t(Key::WizardSteps),
                title = t(Key::WizardChannelTitle),
                email = t(Key::ChannelEmail),
                email_hint = t(Key::ChannelEmailHint),
            )
        }
        // find.rs puts its heading in a card, the account pages in a narrow one.
        Page::FindTicket => format!("<section class=\"card\"><h1>{}</h1></section>", t(heading)),
        Page::SignIn | Page::SignUp | Page::Forgot => format!(
            "<section class=\"card narrow\"><h1>{}</h1></section>",
            t(heading)
        ),
        _ => format!("<h1>{}</h1>", t(heading)),
    }
}
