//! An HTML part as text: `mail-parser`'s converter (tags dropped, entities
//! decoded, script and style left out) after two steps of ours. The ends of
//! block elements become line breaks (the converter breaks only at `<br>`
//! and `</p>`, so Gmail's `<div>` lines would run together); and, for
//! reading the new text, every outermost `<blockquote>` — where mail clients
//! put the quoted history — becomes one `> …` line, which `quote` treats as
//! any quoted line. Agents' full copy keeps the quotes' text. Other inline
//! tags are dropped before the converter runs (see `KEPT`).

use mail_parser::decoders::html::html_to_text;

/// Elements whose end ends a line.
const BLOCKS: &[&str] = &[
    "div",
    "li",
    "tr",
    "table",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "pre",
];

/// Tags the converter acts on; all others are dropped before it runs (it
/// loses the space after an inline tag that follows a line break:
/// "<br><b>a</b> b" would read "ab").
const KEPT: &[&str] = &["br", "p", "head", "style", "script", "template"];

/// The text of `html`; `quotes_folded` folds each quote into one `> …` line.
pub fn to_text(html: &str, quotes_folded: bool) -> String {
    let mut out = String::with_capacity(html.len());
    let mut depth = 0usize;
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        if depth == 0 {
            out.push_str(&rest[..lt]);
        }
        // A comment may hold '>': it ends at "-->" only.
        if rest[lt..].starts_with("<!--") {
            rest = rest[lt..]
                .find("-->")
                .map_or("", |end| &rest[lt + end + 3..]);
            continue;
        }
        let Some(gt) = rest[lt..].find('>').map(|gt| lt + gt) else {
            rest = &rest[lt..];
            break;
        };
        let tag = &rest[lt..=gt];
        let closing = tag.starts_with("</");
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if quotes_folded && name == "blockquote" {
            if !closing && depth == 0 {
                out.push_str("<br>&gt; …<br>");
            }
            depth = if closing {
                depth.saturating_sub(1)
            } else {
                depth + 1
            };
        } else if depth == 0 {
            if KEPT.contains(&name.as_str()) {
                out.push_str(tag);
            } else if closing && BLOCKS.contains(&name.as_str()) {
                out.push_str("<br>");
            }
        }
        rest = &rest[gt + 1..];
    }
    if depth == 0 {
        out.push_str(rest);
    }
    html_to_text(&out)
}

#[cfg(test)]
mod tests {
    use super::to_text;

    #[test]
    fn blocks_make_lines_and_quotes_fold() {
        let html = "<!-- a > b --><div>One</div><div><b>Two</b> words</div><script>alert(1)</script>\
                    <div>On Mon, A wrote:</div><blockquote>Old <blockquote>older</blockquote> text</blockquote><div>After</div>";
        let folded = to_text(html, true);
        assert!(folded.starts_with("One\nTwo words\n"), "{folded:?}");
        assert!(folded.contains("wrote:\n\n> …\n"), "{folded:?}");
        assert!(
            !folded.contains("Old") && !folded.contains("alert"),
            "{folded:?}"
        );
        assert!(folded.trim_end().ends_with("After"), "{folded:?}");
        let full = to_text(html, false);
        assert!(full.contains("Old") && full.contains("older"), "{full:?}");
    }
}
