//! Folding text for search, so that what a customer or an agent types finds
//! what was written, whatever the keyboard: Persian is typed with and
//! without the zero-width non-joiner (می‌خواهم / میخواهم), and Arabic
//! keyboards give a different ye and kaf (ي ك) than Persian ones (ی ک).

/// The form both the indexed text and the query are brought to.
pub fn fold_for_search(text: &str) -> String {
    text.chars().flat_map(fold_char).collect()
}

/// One character folded: nothing for marks that carry no meaning for
/// search, otherwise its lower-case form (one or more characters).
pub fn fold_char(c: char) -> impl Iterator<Item = char> {
    let folded = match c {
        // ZWNJ, tatweel and Arabic short-vowel marks (harakat, tanwin,
        // shadda, sukun, superscript alef) carry no meaning for search.
        '\u{200C}' | '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' => None,
        '\u{06F0}'..='\u{06F9}' => char::from_digit(c as u32 - 0x06F0, 10),
        '\u{0660}'..='\u{0669}' => char::from_digit(c as u32 - 0x0660, 10),
        'ي' | 'ى' | 'ئ' => Some('ی'),
        'ك' => Some('ک'),
        'ة' => Some('ه'),
        'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
        'ؤ' => Some('و'),
        _ => Some(c),
    };
    folded.into_iter().flat_map(char::to_lowercase)
}

/// The search words of a query: folded, split wherever a character is not
/// a letter or digit (so no search-syntax character survives), at most
/// `MAX_TERMS` of at most `MAX_TERM_CHARS` characters each.
pub fn search_terms(query: &str) -> Vec<String> {
    const MAX_TERMS: usize = 12;
    const MAX_TERM_CHARS: usize = 40;
    fold_for_search(query)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(MAX_TERMS)
        .map(|word| word.chars().take(MAX_TERM_CHARS).collect())
        .collect()
}

/// A word of `text` and where it is: byte range in the original, folded form.
fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut words = Vec::new();
    let mut current: Option<(usize, usize, String)> = None;
    for (at, c) in text.char_indices() {
        let folded: String = fold_char(c).collect();
        if folded.is_empty() {
            // A mark inside a word (ZWNJ, harakat) does not end it.
            if let Some(word) = &mut current {
                word.1 = at + c.len_utf8();
            }
        } else if folded.chars().all(char::is_alphanumeric) {
            let word = current.get_or_insert_with(|| (at, at, String::new()));
            word.1 = at + c.len_utf8();
            word.2.push_str(&folded);
        } else if let Some(word) = current.take() {
            words.push(word);
        }
    }
    words.extend(current);
    words
}

/// A short passage of `text` around the first word that starts with one of
/// the (folded) `terms`, as (text, is a hit) parts; `None` when no word hits.
/// Plain text, never markup: the console decides how a hit looks.
pub fn highlight(text: &str, terms: &[String]) -> Option<Vec<(String, bool)>> {
    const BEFORE: usize = 40;
    const WIDTH: usize = 160;
    let hits: Vec<(usize, usize)> = words(text)
        .into_iter()
        .filter(|(_, _, word)| terms.iter().any(|term| word.starts_with(term.as_str())))
        .map(|(start, end, _)| (start, end))
        .collect();
    let first = hits.first()?.0;
    // Back up to BEFORE characters before the hit, then to a word boundary.
    let mut start = text[..first]
        .char_indices()
        .rev()
        .nth(BEFORE.saturating_sub(1))
        .map_or(0, |(at, _)| at);
    if start > 0 {
        start = text[start..first]
            .find(char::is_whitespace)
            .map_or(first, |space| start + space + 1);
    }
    let mut end = text[start..]
        .char_indices()
        .nth(WIDTH)
        .map_or(text.len(), |(at, _)| start + at);
    if end < text.len() {
        let hit_end = hits.iter().find(|(s, _)| *s >= first).map_or(end, |h| h.1);
        end = text[..end]
            .rfind(char::is_whitespace)
            .filter(|&space| space > hit_end.min(end))
            .unwrap_or(end.max(hit_end));
    }
    let mut parts = Vec::new();
    if start > 0 {
        parts.push(("…".to_owned(), false));
    }
    let mut at = start;
    for &(hit_start, hit_end) in hits.iter().filter(|(s, e)| *s >= start && *e <= end) {
        if hit_start > at {
            parts.push((collapse(&text[at..hit_start]), false));
        }
        parts.push((text[hit_start..hit_end].to_owned(), true));
        at = hit_end;
    }
    if at < end {
        parts.push((collapse(&text[at..end]), false));
    }
    if end < text.len() {
        parts.push(("…".to_owned(), false));
    }
    Some(parts)
}

/// Line breaks and runs of spaces read as one space in a one-line passage.
fn collapse(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_spellings_fold_together() {
        for (a, b) in [
            ("می‌خواهم", "میخواهم"),
            ("كيف", "کیف"),
            ("پشتيباني", "پشتیبانی"),
            ("تراکنش ۱۲۳", "تراكنش 123"),
            ("Withdrawal", "withdrawal"),
            ("مـــبلغ", "مبلغ"),
        ] {
            assert_eq!(fold_for_search(a), fold_for_search(b), "{a} vs {b}");
        }
        assert_ne!(fold_for_search("کیف"), fold_for_search("کیش"));
    }

    #[test]
    fn harakat_alef_and_waw_variants_fold() {
        for (a, b) in [
            ("كِتَابٌ", "کتاب"),
            ("إسلام", "اسلام"),
            ("مسؤول", "مسوول"),
            ("کتاب‌ها", "کتابها"),
            ("٣٤٥", "345"),
            ("ПРИВЕТ", "привет"),
        ] {
            assert_eq!(fold_for_search(a), fold_for_search(b), "{a} vs {b}");
        }
    }

    #[test]
    fn search_terms_drop_every_syntax_character() {
        assert_eq!(
            search_terms("\"NEAR(کتاب* OR -۱۲۳) AND:x"),
            ["near", "کتاب", "or", "123", "and", "x"]
        );
        assert!(search_terms("\"*-()^:+").is_empty());
        assert_eq!(search_terms(&"a ".repeat(5000)).len(), 12);
        assert_eq!(search_terms(&"b".repeat(5000))[0].chars().count(), 40);
    }

    #[test]
    fn highlight_marks_whole_words_found_by_prefix_in_the_original_spelling() {
        let terms = search_terms("كتاب");
        let parts = highlight("سلام، کتاب‌ها رسید", &terms).expect("a hit");
        assert_eq!(
            parts,
            [
                ("سلام، ".to_owned(), false),
                ("کتاب‌ها".to_owned(), true),
                (" رسید".to_owned(), false)
            ]
        );
        assert_eq!(highlight("nothing here", &terms), None);
        let long = format!("{} needle {}", "word ".repeat(100), "tail ".repeat(100));
        let parts = highlight(&long, &search_terms("need")).expect("a hit");
        assert_eq!(parts.first().map(|p| p.0.as_str()), Some("…"));
        assert_eq!(parts.last().map(|p| p.0.as_str()), Some("…"));
        assert!(parts.iter().any(|p| p == &("needle".to_owned(), true)));
        let shown: usize = parts.iter().map(|p| p.0.chars().count()).sum();
        assert!(shown < 220, "{shown}");
    }
}
